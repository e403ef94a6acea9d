/** Sources and sinks of the Customer 360 pipeline: files (local or s3://), dead letters. */
package dev.customer360.io;
