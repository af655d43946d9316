package dev.ordersaga.bench;

/** One progress bar per scenario on the terminal. */
final class Progress {

    private final String label;
    private final long total;
    private int lastPercent = -1;

    Progress(String label, long total) {
        this.label = label;
        this.total = Math.max(1, total);
        update(0);
    }

    void update(long done) {
        int percent = (int) Math.min(100, done * 100 / total);
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        int filled = percent / 4;
        System.out.print("\r  " + String.format("%-44s", label) + " [" + "#".repeat(filled) + ".".repeat(25 - filled) + "] "
                + String.format("%3d%%", percent));
        System.out.flush();
    }

    void done(String result) {
        update(total);
        System.out.println("  " + result);
    }
}
