package dev.ordersaga.web;

import java.util.Optional;

/**
 * What no text from a client may contain, wherever it comes (a JSON string, a path segment, a query parameter, a
 * header value): control characters U+0000-U+001F and U+007F, and UTF-16 surrogates that are not paired. Such
 * text would reach Postgres (which refuses U+0000 with an error), logs and other teams' consumers.
 */
public final class StrictText {

    private StrictText() {
    }

    /** Why {@code s} is refused, or empty when it is fine. {@code allowTab} for header values, where HTAB is legal. */
    public static Optional<String> refusal(String s, boolean allowTab) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && !(allowTab && c == '\t')) || c == 0x7F) {
                return Optional.of(String.format("must not contain control characters (U+%04X at %d)", (int) c, i));
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return Optional.of("must not contain an unpaired surrogate (at " + i + ")");
            }
            if (Character.isLowSurrogate(c)) {
                return Optional.of("must not contain an unpaired surrogate (at " + i + ")");
            }
        }
        return Optional.empty();
    }
}
