/** The Customer 360 pipeline: options, the one class that wires the graph, and its main. */
package dev.customer360.pipeline;
