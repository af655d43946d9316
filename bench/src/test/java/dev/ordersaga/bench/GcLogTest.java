package dev.ordersaga.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay's heap figures come from its GC log: the lines of JDK 17's G1 and Serial collectors. */
class GcLogTest {

    @Test
    void readsTheCollectorTheMaximumHeapAndThePeaksOfEveryPause() {
        GcLog gc = GcLog.parse(List.of(
                "[0.006s][info][gc] Using G1",
                "[0.026s][info][gc,init] Heap Max Capacity: 384M",
                "[1.100s][info][gc     ] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 210M->48M(384M) 5.123ms",
                "[1.492s][info][gc     ] GC(1) Concurrent Mark Cycle",
                "[1.495s][info][gc     ] GC(2) Pause Young (Concurrent Start) (G1 Humongous Allocation) 300M->120M(384M) 0.686ms",
                "[1.501s][info][gc     ] GC(1) Pause Remark 130M->97M(384M) 1.482ms",
                "[1.509s][info][gc     ] GC(3) Pause Full (G1 Compaction Pause) 383M->101M(384M) 7.255ms",
                "[1.509s][info][gc     ] GC(1) Concurrent Mark Cycle 16.766ms"));

        assertThat(gc.collector()).isEqualTo("G1");
        assertThat(gc.maxHeapMb()).isEqualTo(384);
        assertThat(gc.peakBeforeGcMb()).isEqualTo(383);
        assertThat(gc.peakAfterGcMb()).isEqualTo(120);
        assertThat(gc.pauses()).isEqualTo(4);
        assertThat(gc.fullPauses()).isEqualTo(1);
    }

    @Test
    void aSerialCollectorLogsInTheSameShape() {
        GcLog gc = GcLog.parse(List.of(
                "[0.004s][info][gc] Using Serial",
                "[0.010s][info][gc,init] Heap Max Capacity: 512000K",
                "[0.500s][info][gc] GC(0) Pause Young (Allocation Failure) 2048K->1024K(10240K) 1.000ms"));

        assertThat(gc.collector()).isEqualTo("Serial");
        assertThat(gc.maxHeapMb()).isEqualTo(500);
        assertThat(gc.peakBeforeGcMb()).isEqualTo(2);
        assertThat(gc.peakAfterGcMb()).isEqualTo(1);
        assertThat(gc.fullPauses()).isZero();
    }
}
