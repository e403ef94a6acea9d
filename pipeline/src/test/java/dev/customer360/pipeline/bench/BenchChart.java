package dev.customer360.pipeline.bench;

import java.awt.BasicStroke;
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
 * Draws the benchmark's CSV ({@code engine,records,seconds,records_per_s,peak_rss_mb[,...,
 * vs_flinksql]}) as a PNG: records/s, peak RSS and, when the CSV has it, speed relative to the
 * Flink SQL baseline, against input size, one line per engine, log-scaled x.
 *
 * <pre>BenchChart RESULTS.csv CHART.png</pre>
 */
public final class BenchChart {
  static final Color[] COLORS = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0xff7f0e),
    new Color(0x9467bd)
  };

  private BenchChart() {}

  public static void main(String[] args) throws Exception {
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(Path.of(args[0]));
    int vsSql = List.of(lines.get(0).split(",")).indexOf("vs_flinksql");
    boolean anyVsSql = false;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      // The plain loop's ratio (several times the others) would flatten the jobs' in that panel.
      double speedVsSql =
          vsSql >= 0 && !f[vsSql].isEmpty() && !f[0].equals("baseline")
              ? Double.parseDouble(f[vsSql])
              : Double.NaN;
      anyVsSql |= !Double.isNaN(speedVsSql);
      series
          .computeIfAbsent(f[0], k -> new ArrayList<>())
          .add(
              new double[] {
                Double.parseDouble(f[1]),
                Double.parseDouble(f[3]),
                Double.parseDouble(f[4]),
                speedVsSql
              });
    }
    int width = anyVsSql ? 1800 : 1200;
    BufferedImage image = new BufferedImage(width, 520, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, 520);
    panel(g, series, 1, "records/s (higher is better)", 40);
    panel(g, series, 2, "peak RSS, MB (lower is better)", 640);
    if (anyVsSql) {
      int one = panel(g, series, 3, "speed vs Flink SQL, x (above 1: faster)", 1240);
      g.setColor(Color.GRAY);
      g.setStroke(
          new BasicStroke(
              1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 6f}, 0f));
      g.drawLine(1240, one, 1240 + 520, one);
    }
    int y = 500;
    int x = 60;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    int i = 0;
    for (String engine : series.keySet()) {
      g.setColor(COLORS[i++ % COLORS.length]);
      g.fillRect(x, y - 10, 14, 10);
      g.setColor(Color.BLACK);
      g.drawString(engine, x + 20, y);
      x += 260;
    }
    ImageIO.write(image, "png", new File(args[1]));
  }

  /** Draws one panel; returns the y coordinate of the value 1 (the parity line of ratios). */
  private static int panel(
      Graphics2D g, Map<String, List<double[]>> series, int column, String title, int left) {
    return panel(g, series, column, title, left, "raw records (log scale)");
  }

  /**
   * One panel of {@code series} (name -> points of x and values), the values of {@code column}
   * against x on a log scale; returns the y coordinate of the value 1.
   */
  static int panel(
      Graphics2D g,
      Map<String, List<double[]>> series,
      int column,
      String title,
      int left,
      String xLabel) {
    g.setStroke(new BasicStroke(1f));
    int top = 50;
    int width = 520;
    int height = 380;
    double minX = Double.MAX_VALUE;
    double maxX = 0;
    double maxY = 0;
    for (List<double[]> points : series.values()) {
      for (double[] p : points) {
        if (Double.isNaN(p[column])) {
          continue;
        }
        minX = Math.min(minX, p[0]);
        maxX = Math.max(maxX, p[0]);
        maxY = Math.max(maxY, p[column]);
      }
    }
    maxY = maxY * 1.1 + 1;
    double lx0 = Math.log10(minX);
    double lx1 = Math.max(Math.log10(maxX), lx0 + 1e-9);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, left, 30);
    g.drawRect(left, top, width, height);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int t = 0; t <= 4; t++) {
      int yy = top + height - t * height / 4;
      g.setColor(new Color(0xdddddd));
      g.drawLine(left, yy, left + width, yy);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(maxY < 10 ? "%,.2f" : "%,.0f", maxY * t / 4), left + 4, yy - 2);
    }
    int i = 0;
    for (List<double[]> points : series.values()) {
      g.setColor(COLORS[i++ % COLORS.length]);
      g.setStroke(new BasicStroke(2.5f));
      int px = -1;
      int py = -1;
      for (double[] p : points) {
        if (Double.isNaN(p[column])) {
          continue;
        }
        int x = left + (int) ((Math.log10(p[0]) - lx0) / (lx1 - lx0) * (width - 40)) + 20;
        int y = top + height - (int) (p[column] / maxY * height);
        g.fillOval(x - 4, y - 4, 8, 8);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.format("%,.0f", p[0]), x - 20, top + height + 16);
        g.setColor(COLORS[(i - 1) % COLORS.length]);
        px = x;
        py = y;
      }
    }
    g.setColor(Color.BLACK);
    g.drawString(xLabel, left + width / 2 - 60, top + height + 34);
    return top + height - (int) (1 / maxY * height);
  }
}
