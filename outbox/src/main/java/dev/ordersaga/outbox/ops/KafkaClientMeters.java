package dev.ordersaga.outbox.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The Kafka client metrics of the SmallRye consumers and producers (among them
 * {@code kafka_consumer_fetch_manager_records_lag_max{topic,partition}} for the consumer-lag alert), as Quarkus's own
 * Kafka binder registers them, with one difference that needs this class: Micrometer looks for new client metrics
 * every 60 s by default, and Quarkus offers no setting for it, so a partition's lag appeared up to a minute after its
 * assignment (after every rebalance). Here it looks every {@value #REFRESH_SECONDS} s, one walk of the client's
 * metric map. Each app sets {@code quarkus.micrometer.binder.kafka.enabled=false} so the clients are not bound twice.
 */
@ApplicationScoped
class KafkaClientMeters {

    static final int REFRESH_SECONDS = 5;

    private final MeterRegistry registry;
    private final List<KafkaClientMetrics> bound = new ArrayList<>();
    private ScheduledExecutorService refresher;

    KafkaClientMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    synchronized void consumerCreated(@Observes Consumer<?, ?> consumer) {
        bind(new KafkaClientMetrics(consumer, Tags.empty(), refresher(), Duration.ofSeconds(REFRESH_SECONDS)));
    }

    synchronized void producerCreated(@Observes Producer<?, ?> producer) {
        bind(new KafkaClientMetrics(producer, Tags.empty(), refresher(), Duration.ofSeconds(REFRESH_SECONDS)));
    }

    synchronized void stop(@Observes ShutdownEvent stopping) {
        bound.forEach(KafkaClientMetrics::close);
        bound.clear();
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    private void bind(KafkaClientMetrics metrics) {
        metrics.bindTo(registry);
        bound.add(metrics);
    }

    /** One daemon thread for every client's refresh, instead of Micrometer's one per client. */
    private ScheduledExecutorService refresher() {
        if (refresher == null) {
            refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kafka-client-meters");
                t.setDaemon(true);
                return t;
            });
        }
        return refresher;
    }
}
