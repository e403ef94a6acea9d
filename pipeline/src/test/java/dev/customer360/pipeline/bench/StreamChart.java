package dev.customer360.pipeline.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws the streaming benchmark's CSV ({@code bench/stream.sh}) as a PNG against the target rate:
 * end-to-end latency (p50, p95, p99), the backlog at each step's end and the job's watermark lag
 * (mean and max over the step).
 *
 * <pre>StreamChart STREAM.csv CHART.png</pre>
 */
public final class StreamChart {
  private StreamChart() {}

  public static void main(String[] args) throws Exception {
    List<String> lines = Files.readAllLines(Path.of(args[0]));
    List<String> header = List.of(lines.get(0).split(",", -1));
    List<String[]> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      rows.add(line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1)); // commas outside quotes
    }
    int width = 1800;
    int height = 520;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    String x = "raw records/s produced (log scale)";
    draw(
        g,
        rows,
        header,
        40,
        "end-to-end latency, s",
        x,
        1000,
        "e2e_p50_ms",
        "e2e_p95_ms",
        "e2e_p99_ms");
    draw(g, rows, header, 640, "backlog at the step's end, records", x, 1, "backlog_end");
    draw(
        g,
        rows,
        header,
        1240,
        "watermark lag, s (includes --maxOutOfOrderness)",
        x,
        1,
        "watermark_lag_mean_s",
        "watermark_lag_max_s");
    ImageIO.write(image, "png", new File(args[1]));
  }

  /** One panel: each column a line (divided by {@code scale}), with a legend below it. */
  private static void draw(
      Graphics2D g,
      List<String[]> rows,
      List<String> header,
      int left,
      String title,
      String xLabel,
      double scale,
      String... columns) {
    int rate = header.indexOf("target_rate");
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    for (String column : columns) {
      int c = header.indexOf(column);
      List<double[]> points = series.computeIfAbsent(column, k -> new ArrayList<>());
      for (String[] row : rows) {
        boolean known = c >= 0 && c < row.length && !row[c].isEmpty() && !row[c].equals("-1");
        points.add(
            new double[] {
              Double.parseDouble(row[rate]), known ? Double.parseDouble(row[c]) / scale : Double.NaN
            });
      }
    }
    BenchChart.panel(g, series, 1, title, left, xLabel);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    int x = left + 20;
    int i = 0;
    for (String column : columns) {
      g.setColor(BenchChart.COLORS[i++ % BenchChart.COLORS.length]);
      g.fillRect(x, 490, 14, 10);
      g.setColor(Color.BLACK);
      g.drawString(
          column.replaceFirst("^(e2e_|watermark_lag_)", "").replaceFirst("_(ms|s)$", ""),
          x + 20,
          500);
      x += 160;
    }
  }
}
