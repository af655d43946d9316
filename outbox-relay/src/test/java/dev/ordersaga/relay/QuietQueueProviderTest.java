package dev.ordersaga.relay;

import dev.ordersaga.relay.connector.QuietQueueProvider;
import io.debezium.connector.base.ChangeEventQueue;
import io.debezium.connector.base.DefaultQueueProvider;
import io.debezium.connector.base.QueueProvider;
import io.debezium.pipeline.Sizeable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Debezium's change-event queue asks its provider for its size once per turn of its poll loop: the turns count here. */
class QuietQueueProviderTest {

    record Event(int n) implements Sizeable {
        @Override
        public long objectSize() {
            return 100;
        }
    }

    /** Counts how often the queue asks the provider for its size: each empty check is one turn of poll()'s loop. */
    static final class Counting<T extends Sizeable> implements QueueProvider<T> {
        final QueueProvider<T> delegate;
        final AtomicLong sizeCalls = new AtomicLong();

        Counting(QueueProvider<T> delegate) {
            this.delegate = delegate;
            delegate.configure(Map.of("max.queue.size", "1000"));
        }

        @Override public String name() { return delegate.name(); }
        @Override public void configure(Map<String, ?> config) { }
        @Override public void enqueue(T event) throws InterruptedException { delegate.enqueue(event); }
        @Override public T poll() throws InterruptedException { return delegate.poll(); }
        @Override public int size() { sizeCalls.incrementAndGet(); return delegate.size(); }
    }

    static long idleTurns(QueueProvider<Event> provider) throws InterruptedException {
        Counting<Event> counting = new Counting<>(provider);
        ChangeEventQueue<Event> queue = new ChangeEventQueue.Builder<Event>()
                .pollInterval(Duration.ofMillis(10)).maxBatchSize(100).maxQueueSize(1000)
                .loggingContextSupplier(QuietQueueProviderTest::context).queueProvider(counting).build();
        for (int i = 0; i < 50; i++) {
            assertThat(queue.poll()).isEmpty();
        }
        return counting.sizeCalls.get();
    }

    /** Debezium's own queue spins when idle: if this fails, Debezium fixed it and the quiet queue can go. */
    @Test
    void debeziumsQueueSpinsWhenIdle() throws InterruptedException {
        assertThat(idleTurns(new DefaultQueueProvider<>())).isGreaterThan(5_000);
    }

    @Test
    void theQuietQueueWaitsInstead() throws InterruptedException {
        assertThat(idleTurns(new QuietQueueProvider<>())).isLessThan(1_000);
    }

    @Test
    void everyEventComesOutInOrder() throws Exception {
        QuietQueueProvider<Event> provider = new QuietQueueProvider<>();
        provider.configure(Map.of("max.queue.size", "1000"));
        ChangeEventQueue<Event> queue = new ChangeEventQueue.Builder<Event>()
                .pollInterval(Duration.ofMillis(10)).maxBatchSize(100).maxQueueSize(1000)
                .loggingContextSupplier(QuietQueueProviderTest::context).queueProvider(provider).build();
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < 500; i++) {
                    queue.enqueue(new Event(i));
                    if (i % 50 == 0) {
                        Thread.sleep(3);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        List<Integer> seen = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (seen.size() < 500 && System.nanoTime() < deadline) {
            queue.poll().forEach(e -> seen.add(e.n()));
        }
        producer.join(1_000);
        assertThat(seen).hasSize(500).isSorted();
    }

    private static io.debezium.util.LoggingContext.PreviousContext context() {
        return io.debezium.util.LoggingContext.forConnector("postgres", "test", "streaming");
    }
}
