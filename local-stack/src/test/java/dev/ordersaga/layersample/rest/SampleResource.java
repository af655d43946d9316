package dev.ordersaga.layersample.rest;

/** A resource, as the rules expect one. */
public class SampleResource {
}
