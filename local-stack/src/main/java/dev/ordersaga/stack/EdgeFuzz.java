package dev.ordersaga.stack;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Generated requests for the fuzz tests of the HTTP edge (jqwik's generators, used directly): JSON bodies built
 * from the fields an endpoint knows, with wrong types, out-of-range numbers, text with control characters and
 * unpaired surrogates, unknown and duplicate fields, and plain garbage; path segments and header values of any
 * text. Each service's FuzzTest sends them and checks: never a 5xx, every 4xx a problem body, nothing written.
 */
public final class EdgeFuzz {

    private EdgeFuzz() {
    }

    /** Any text, weighted to short and to the characters that break things. */
    public static Arbitrary<String> text() {
        Arbitrary<Character> nasty = Arbitraries.of('\u0000', '\u0001', '\u001f', '\u007f', '\t', '\n', '"', '\\', '%', '/',
                '\ud800', '\udc00', '\ufffe', 'é', '€', ' ', '?', '#', '&', '=', '.');
        Arbitrary<Character> any = Arbitraries.chars().all();
        Arbitrary<Character> plain = Arbitraries.chars().alpha().numeric().with('-', '_');
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, plain),
                        net.jqwik.api.Tuple.of(2, nasty),
                        net.jqwik.api.Tuple.of(2, any))
                .list().ofMinSize(0).ofMaxSize(80).map(cs -> cs.stream().map(String::valueOf).collect(Collectors.joining()));
    }

    /** A JSON value of any type, serialized. */
    public static Arbitrary<String> jsonValue() {
        return Arbitraries.oneOf(
                text().map(EdgeFuzz::quote),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("0", "-1", "1.5", "1e3", "1E400", "-0", "99999999999999999999999", "0.001", "12.345", "NaN",
                        "true", "false", "null", "[]", "{}", "[1]", "{\"a\":1}", "\"\"", "\"1\"", "\" \""));
    }

    /**
     * A body for an endpoint whose fields are {@code fields} (name -> values that fit): each field present or not,
     * with a fitting or any value; sometimes an unknown field, a field twice, or text that is no JSON at all.
     */
    public static Arbitrary<String> body(Map<String, Arbitrary<String>> fields) {
        List<Arbitrary<String>> entries = new ArrayList<>();
        for (Map.Entry<String, Arbitrary<String>> f : fields.entrySet()) {
            Arbitrary<String> value = Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(3, f.getValue()),
                    net.jqwik.api.Tuple.of(2, jsonValue()));
            entries.add(Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(4, value.map(v -> quote(f.getKey()) + ":" + v)),
                    net.jqwik.api.Tuple.of(1, Arbitraries.just(""))));
        }
        Arbitrary<String> extra = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.just("")),
                net.jqwik.api.Tuple.of(1, Combinators.combine(text(), jsonValue()).as((k, v) -> quote(k) + ":" + v)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(List.copyOf(fields.keySet())).flatMap(k ->
                        fields.get(k).map(v -> quote(k) + ":" + v))));
        Arbitrary<String> object = Combinators.combine(all(entries), extra)
                .as((parts, more) -> {
                    List<String> present = new ArrayList<>(parts.stream().filter(p -> !p.isEmpty()).toList());
                    if (!more.isEmpty()) {
                        present.add(more);
                    }
                    return "{" + String.join(",", present) + "}";
                });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, object),
                net.jqwik.api.Tuple.of(1, jsonValue()),
                net.jqwik.api.Tuple.of(1, text()),
                net.jqwik.api.Tuple.of(1, object.map(o -> o.substring(0, o.length() / 2))));
    }

    /** A path segment: any text, percent-encoded as UTF-8 (an unpaired surrogate becomes bytes that are not UTF-8). */
    public static Arbitrary<String> pathSegment() {
        return text().map(EdgeFuzz::percentEncode);
    }

    /** A header value a client can put on the wire: visible ASCII, spaces and Latin-1, any length up to 120. */
    public static Arbitrary<String> headerValue() {
        return Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u00ff').ofMaxLength(120);
    }

    /** A JSON array of {@code element}s, 0 to 5 of them. */
    public static Arbitrary<String> array(Arbitrary<String> element) {
        return element.list().ofMaxSize(5).map(l -> "[" + String.join(",", l) + "]");
    }

    /**
     * Sends one generated request as {@code authorization} (target as written: no encoding is added) and checks the
     * edge's promise: never a 5xx, and every 4xx an {@code application/problem+json} body. Returns the answer for
     * the caller's own checks (what the database holds after a refusal).
     */
    public static io.restassured.response.Response send(io.restassured.specification.RequestSpecification spec,
                                                         String authorization, String method, String target) {
        io.restassured.response.Response r = spec.header("Authorization", authorization).urlEncodingEnabled(false)
                .request(method, target);
        int status = r.statusCode();
        if (status >= 500 || (status >= 400 && (r.contentType() == null || !r.contentType().startsWith("application/problem+json")))) {
            throw new AssertionError(method + " " + target + " answered " + status + " " + r.contentType() + ": " + r.asString());
        }
        return r;
    }

    /** {@code s} as a JSON string, every character outside printable ASCII as a \\u escape. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static String percentEncode(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                b.append(c);
            } else if (Character.isSurrogate(c)) {
                b.append(c < 0xDC00 ? "%ED%A0%80" : "%ED%B0%80"); // CESU-8 of a lone surrogate: not UTF-8
            } else {
                for (byte x : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    b.append('%').append(String.format("%02X", x & 0xff));
                }
            }
        }
        return b.toString();
    }

    private static Arbitrary<List<String>> all(List<Arbitrary<String>> parts) {
        Arbitrary<List<String>> acc = Arbitraries.just(List.of());
        for (Arbitrary<String> p : parts) {
            acc = Combinators.combine(acc, p).as((l, x) -> {
                List<String> n = new ArrayList<>(l);
                n.add(x);
                return n;
            });
        }
        return acc;
    }
}
