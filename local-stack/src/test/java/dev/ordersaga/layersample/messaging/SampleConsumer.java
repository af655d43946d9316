package dev.ordersaga.layersample.messaging;

/** A consumer, as the rules expect one. */
public class SampleConsumer {
}
