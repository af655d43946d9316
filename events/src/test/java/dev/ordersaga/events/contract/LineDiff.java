package dev.ordersaga.events.contract;

import java.util.ArrayList;
import java.util.List;

/** A short line diff for failure messages: only the lines that differ, "-" committed, "+" generated. */
final class LineDiff {

    private static final int MAX_LINES = 40;

    private LineDiff() {
    }

    static String of(String committed, String generated) {
        String[] a = committed.split("\n", -1);
        String[] b = generated.split("\n", -1);
        // longest common subsequence; the files are a few hundred lines at most
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                i++;
                j++;
            } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.add(String.format("+%4d | %s", j + 1, b[j++]));
            } else {
                out.add(String.format("-%4d | %s", i + 1, a[i++]));
            }
        }
        if (out.size() > MAX_LINES) {
            int more = out.size() - MAX_LINES;
            out = new ArrayList<>(out.subList(0, MAX_LINES));
            out.add("... " + more + " more changed lines");
        }
        return String.join("\n", out);
    }
}
