package dev.customer360.transforms.sql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.extensions.sql.BeamSqlUdf;

/**
 * {@code xpaths(xml, name1, path1, name2, path2, ...)}: the function of the original Customer 360
 * SQL that pulls several values out of an XML column in one parse. It returns a map from name to
 * text, read in SQL as {@code alias['name']} (Beam SQL cannot expose a UDF result as a ROW, see
 * src/sql/call_log.sql). Malformed XML or XML with a DOCTYPE raises {@link
 * XmlFields.XmlFieldException}.
 *
 * <p>Beam SQL has no varargs UDFs and sees one {@code eval} per class, so each number of pairs is a
 * class of its own, {@code PairsN}, all registered under the name {@code xpaths}: Calcite resolves
 * by arity. The ten classes below are the same one line, {@code extract(xml, name1, path1, ...)},
 * with N pairs of parameters; XpathsUdfTest checks each against {@link #extract}.
 */
public final class XpathsUdf {
  /** Every arity class, for registration. */
  public static final List<Class<? extends BeamSqlUdf>> ARITIES =
      List.of(
          Pairs1.class,
          Pairs2.class,
          Pairs3.class,
          Pairs4.class,
          Pairs5.class,
          Pairs6.class,
          Pairs7.class,
          Pairs8.class,
          Pairs9.class,
          Pairs10.class);

  private XpathsUdf() {}

  /** What every {@code PairsN.eval} returns: the texts at the paths, under their names. */
  static Map<String, String> extract(String xml, String... namesAndPaths) {
    Map<String, String> namesToPaths = new LinkedHashMap<>();
    for (int i = 0; i < namesAndPaths.length; i += 2) {
      namesToPaths.put(namesAndPaths[i], namesAndPaths[i + 1]);
    }
    return XmlFields.extract(xml, namesToPaths);
  }

  public static final class Pairs1 implements BeamSqlUdf {
    public static Map<String, String> eval(String xml, String name1, String path1) {
      return extract(xml, name1, path1);
    }
  }

  public static final class Pairs2 implements BeamSqlUdf {
    public static Map<String, String> eval(
        String xml, String name1, String path1, String name2, String path2) {
      return extract(xml, name1, path1, name2, path2);
    }
  }

  public static final class Pairs3 implements BeamSqlUdf {
    public static Map<String, String> eval(
        String xml,
        String name1,
        String path1,
        String name2,
        String path2,
        String name3,
        String path3) {
      return extract(xml, name1, path1, name2, path2, name3, path3);
    }
  }

  public static final class Pairs4 implements BeamSqlUdf {
    public static Map<String, String> eval(
        String xml,
        String name1,
        String path1,
        String name2,
        String path2,
        String name3,
        String path3,
        String name4,
        String path4) {
      return extract(xml, name1, path1, name2, path2, name3, path3, name4, path4);
    }
  }

  public static final class Pairs5 implements BeamSqlUdf {
    public static Map<String, String> eval(
        String xml,
        String name1,
        String path1,
        String name2,
        String path2,
        String name3,
        String path3,
        String name4,
        String path4,
        String name5,
        String path5) {
      return extract(xml, name1, path1, name2, path2, name3, path3, name4, path4, name5, path5);
    }
  }

  public static final class Pairs6 implements BeamSqlUdf {
    public static Map<String, String> eval(
        String xml,
        String name1,
        String path1,
        String name2,
        String path2,
        String name3,
        String path3,
        String name4,
        String path4,
        String name5,
        String path5,
        String name6,
        String path6) {
      return extract(
          xml, name1, path1, name2, path2, name3, path3, name4, path4, name5, path5, name6, path6);
    }
  }

  public static final class Pairs7 implements BeamSqlUdf {
    public static Map<String, String> eval(
        String xml,
        String name1,
        String path1,
        String name2,
        String path2,
        String name3,
        String path3,
        String name4,
        String path4,
        String name5,
        String path5,
        String name6,
        String path6,
        String name7,
        String path7) {
      return extract(
          xml, name1, path1, name2, path2, name3, path3, name4, path4, name5, path5, name6, path6,
          name7, path7);
    }
  }

  public static final class Pairs8 implements BeamSqlUdf {
    public static Map<String, String> eval(
        String xml,
        String name1,
        String path1,
        String name2,
        String path2,
        String name3,
        String path3,
        String name4,
        String path4,
        String name5,
        String path5,
        String name6,
        String path6,
        String name7,
        String path7,
        String name8,
        String path8) {
      return extract(
          xml, name1, path1, name2, path2, name3, path3, name4, path4, name5, path5, name6, path6,
          name7, path7, name8, path8);
    }
  }

  public static final class Pairs9 implements BeamSqlUdf {
    public static Map<String, String> eval(
        String xml,
        String name1,
        String path1,
        String name2,
        String path2,
        String name3,
        String path3,
        String name4,
        String path4,
        String name5,
        String path5,
        String name6,
        String path6,
        String name7,
        String path7,
        String name8,
        String path8,
        String name9,
        String path9) {
      return extract(
          xml, name1, path1, name2, path2, name3, path3, name4, path4, name5, path5, name6, path6,
          name7, path7, name8, path8, name9, path9);
    }
  }

  public static final class Pairs10 implements BeamSqlUdf {
    public static Map<String, String> eval(
        String xml,
        String name1,
        String path1,
        String name2,
        String path2,
        String name3,
        String path3,
        String name4,
        String path4,
        String name5,
        String path5,
        String name6,
        String path6,
        String name7,
        String path7,
        String name8,
        String path8,
        String name9,
        String path9,
        String name10,
        String path10) {
      return extract(
          xml, name1, path1, name2, path2, name3, path3, name4, path4, name5, path5, name6, path6,
          name7, path7, name8, path8, name9, path9, name10, path10);
    }
  }
}
