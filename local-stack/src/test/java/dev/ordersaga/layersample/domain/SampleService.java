package dev.ordersaga.layersample.domain;

import dev.ordersaga.layersample.rest.SampleResource;

/** Breaks the first rule on purpose: a domain class that knows a resource. */
public class SampleService {

    SampleResource edge;
}
