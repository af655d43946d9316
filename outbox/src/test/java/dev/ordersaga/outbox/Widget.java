package dev.ordersaga.outbox;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import java.util.UUID;

/** A business row for the tests: the state change that an outbox row goes with. */
@Entity
public class Widget {

    @Id
    public UUID id;

    public String name;

    public static Widget named(String name) {
        Widget w = new Widget();
        w.id = UUID.randomUUID();
        w.name = name;
        return w;
    }
}
