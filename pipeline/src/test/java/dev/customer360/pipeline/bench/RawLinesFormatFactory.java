package dev.customer360.pipeline.bench;

import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * Format {@code raw-lines}: each line of a file as one {@code BYTES} column, a new row per line.
 * Flink 1.19.0's own {@code raw} format returns one reused row, and the filesystem source batches
 * rows by reference, so of every batch of lines only the last one survives (FLINK-35097, fixed
 * after 1.19.0). The filesystem connector still splits the files and strips CR of CRLF lines.
 */
public final class RawLinesFormatFactory implements DeserializationFormatFactory {
  public static final String IDENTIFIER = "raw-lines";

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of();
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of();
  }

  @Override
  public DecodingFormat<DeserializationSchema<RowData>> createDecodingFormat(
      DynamicTableFactory.Context context, ReadableConfig options) {
    return new DecodingFormat<>() {
      @Override
      public DeserializationSchema<RowData> createRuntimeDecoder(
          DynamicTableSource.Context source, DataType physicalType) {
        List<DataType> columns = physicalType.getChildren();
        if (columns.size() != 1
            || columns.get(0).getLogicalType().getTypeRoot() != LogicalTypeRoot.VARBINARY) {
          throw new IllegalArgumentException(
              "format '"
                  + IDENTIFIER
                  + "' reads one BYTES column (the line), but the table has "
                  + physicalType);
        }
        return new LineDeserializer(source.createTypeInformation(physicalType));
      }

      @Override
      public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
      }
    };
  }

  /** The line's bytes (the connector's own copy) in a new row. */
  static final class LineDeserializer implements DeserializationSchema<RowData> {
    private static final long serialVersionUID = 1L;
    private final TypeInformation<RowData> producedType;

    LineDeserializer(TypeInformation<RowData> producedType) {
      this.producedType = producedType;
    }

    @Override
    public RowData deserialize(byte[] line) {
      return GenericRowData.of((Object) line);
    }

    @Override
    public boolean isEndOfStream(RowData next) {
      return false;
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
      return producedType;
    }
  }
}
