/**
 * Sources and sinks of the Customer 360 pipeline: files on local disk or any S3-compatible store
 * ({@code files}), Kafka ({@code kafka}), PostgreSQL ({@code postgres}).
 */
package dev.customer360.io;
