package dev.customer360.pipeline;

import dev.customer360.io.FileSinkOptions;
import dev.customer360.io.FileSourceOptions;
import dev.customer360.transforms.EngagementOptions;

/** Every option of the job: the mixins of the parts it wires together. */
public interface Customer360Options extends FileSourceOptions, FileSinkOptions, EngagementOptions {}
