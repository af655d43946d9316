package dev.ordersaga.relay.connector;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.config.Configuration;
import io.debezium.connector.base.QueueProvider;
import io.debezium.pipeline.Sizeable;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.locks.LockSupport;

/**
 * Debezium's in-memory change-event queue (an {@code ArrayDeque}, as its {@code DefaultQueueProvider}), chosen with
 * {@code queue.provider.type=quiet-memory}, that keeps an idle relay from spinning. In Debezium 3.6.3
 * {@code ChangeEventQueue.poll()} waits for a full batch in steps of the time left, rounded down to whole
 * milliseconds; once less than a millisecond is left it stops waiting and loops, asking this queue for its size,
 * until {@code poll.interval.ms} is over: about 6,600 turns per 10 ms poll here (QuietQueueProviderTest), the bulk
 * of an idle relay's CPU (73 % of its samples in make bench's JFR profile). Written by hand because no setting
 * changes that loop: when the polling thread finds the queue empty twice within a millisecond, with nothing enqueued
 * between, its second check parks {@link #PARK_NANOS} first. It never delays an event: the loop only ends at the
 * poll's deadline, whatever it finds; the producer's own size check never parks, and an enqueue waiting on the
 * queue's lock meanwhile waits at most one park.
 */
public class QuietQueueProvider<T extends Sizeable> implements QueueProvider<T> {

    public static final String NAME = "quiet-memory";
    static final long PARK_NANOS = 200_000;
    private static final long SPIN_NANOS = 1_000_000;

    private Queue<T> queue;
    /** Events enqueued so far, and how many are queued: read without the queue's lock by {@link #awaitEnqueue}. */
    private volatile long enqueued;
    private volatile int queued;
    private volatile long lastEnqueueNanos = System.nanoTime();
    private volatile Thread idleWaiter;
    /**
     * When the queue was last found empty, and by which thread; 0 after an enqueue. Read and written under
     * ChangeEventQueue's lock (its metrics read {@code size()} without it, and at worst skip or take one park).
     */
    private long lastEmptyCheck;
    private Thread lastEmptyChecker;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void configure(Map<String, ?> config) {
        queue = new ArrayDeque<>(Configuration.from(config).getInteger(CommonConnectorConfig.MAX_QUEUE_SIZE));
    }

    @Override
    public void enqueue(T event) {
        queue.add(event);
        lastEmptyCheck = 0;
        queued = queue.size();
        lastEnqueueNanos = System.nanoTime();
        enqueued++; // only the producer writes it, under ChangeEventQueue's lock
        Thread waiter = idleWaiter;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    @Override
    public T poll() {
        T event = queue.poll();
        queued = queue.size();
        return event;
    }

    /**
     * Called by the polling thread before each poll ({@link QuietPostgresConnector.QuietTask}): when the queue is empty
     * and nothing was enqueued for {@code idleAfterNanos}, waits until the next enqueue or {@code maxWaitNanos},
     * whichever comes first, so an idle engine polls a few times a second rather than every {@code poll.interval.ms}.
     * An event that ends the wait then waits one poll interval in the queue (instead of half of one on average).
     */
    void awaitEnqueue(long idleAfterNanos, long maxWaitNanos) throws InterruptedException {
        idleWaiter = Thread.currentThread();
        try {
            long seen = enqueued;
            long now = System.nanoTime();
            if (queued > 0 || now - lastEnqueueNanos < idleAfterNanos) {
                return;
            }
            long deadline = now + maxWaitNanos;
            while (enqueued == seen && deadline - now > 0) {
                LockSupport.parkNanos(this, deadline - now);
                if (Thread.interrupted()) {
                    throw new InterruptedException("stopping");
                }
                now = System.nanoTime();
            }
        } finally {
            idleWaiter = null;
        }
    }

    @Override
    public int size() {
        int size = queue.size();
        if (size == 0) {
            // the polling thread spins; the producer checks the size before each enqueue and must never wait here
            Thread self = Thread.currentThread();
            long now = System.nanoTime();
            if (lastEmptyCheck != 0 && self == lastEmptyChecker && now - lastEmptyCheck < SPIN_NANOS) {
                LockSupport.parkNanos(PARK_NANOS);
                now = System.nanoTime();
            }
            lastEmptyCheck = now;
            lastEmptyChecker = self;
        }
        return size;
    }
}
