package dev.ordersaga.order.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The three services' ops API, called with the operator's own token (each service checks the role itself). Every
 * call has a deadline for the whole exchange, body included: a service that hangs costs the console
 * {@code ops.services.timeout} (a replay or skip {@code ops.services.action-timeout}), not a thread.
 */
@ApplicationScoped
public class OpsPeers {

    public static final String ORDER_APP = "order-app";
    public static final String INVENTORY_APP = "inventory-app";
    public static final String COUPON_APP = "coupon-app";
    public static final List<String> SERVICES = List.of(ORDER_APP, INVENTORY_APP, COUPON_APP);

    private final Optional<String> self;
    private final Map<String, String> urls = new LinkedHashMap<>();
    /** More than any ops answer holds (100 parked events with their payloads); a larger one is not read to the end. */
    static final long MAX_ANSWER_BYTES = 4L * 1024 * 1024;

    private final Duration timeout;
    private final Duration actionTimeout;
    private final ObjectMapper json;
    private final HttpClient http;

    public OpsPeers(@ConfigProperty(name = "ops.services.order-app.url") Optional<String> self,
                    @ConfigProperty(name = "ops.services.inventory-app.url") String inventory,
                    @ConfigProperty(name = "ops.services.coupon-app.url") String coupons,
                    @ConfigProperty(name = "ops.services.timeout", defaultValue = "3s") Duration timeout,
                    @ConfigProperty(name = "ops.services.action-timeout", defaultValue = "30s") Duration actionTimeout,
                    ObjectMapper json) {
        this.self = self.map(OpsPeers::trimSlash);
        urls.put(INVENTORY_APP, trimSlash(inventory));
        urls.put(COUPON_APP, trimSlash(coupons));
        this.timeout = timeout;
        this.actionTimeout = actionTimeout;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public static boolean known(String service) {
        return SERVICES.contains(service);
    }

    /** GET {@code path} of every service at once; answers in {@link #SERVICES} order. */
    public List<PeerAnswer> getAll(String path, String authorization, URI selfBase) {
        List<CompletableFuture<PeerAnswer>> calls = new ArrayList<>();
        for (String service : SERVICES) {
            calls.add(send(service, request(service, path, authorization, selfBase, timeout).GET().build(), timeout));
        }
        return calls.stream().map(CompletableFuture::join).toList();
    }

    public PeerAnswer get(String service, String path, String authorization, URI selfBase) {
        return send(service, request(service, path, authorization, selfBase, timeout).GET().build(), timeout).join();
    }

    public PeerAnswer post(String service, String path, JsonNode body, String authorization, URI selfBase) {
        HttpRequest.Builder b = request(service, path, authorization, selfBase, actionTimeout).header("Content-Type", "application/json");
        try {
            b.POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return send(service, b.build(), actionTimeout).join();
    }

    /** order-app's own ops API: the configured URL, else the address the console was called on. */
    String baseUrl(String service, URI selfBase) {
        if (ORDER_APP.equals(service)) {
            return self.orElseGet(() -> trimSlash(selfBase.toString()));
        }
        return urls.get(service);
    }

    private HttpRequest.Builder request(String service, String path, String authorization, URI selfBase, Duration deadline) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl(service, selfBase) + path)).timeout(deadline)
                .header("Accept", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private CompletableFuture<PeerAnswer> send(String service, HttpRequest request, Duration deadline) {
        // the request's own timeout ends at the headers; this one also ends a body that never comes
        return http.sendAsync(request, info -> new Capped())
                .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(response -> answer(service, response))
                .exceptionally(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    boolean late = cause instanceof HttpTimeoutException || cause instanceof TimeoutException;
                    String why = late ? "no answer within " + deadline.toMillis() + " ms"
                            : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
                    return PeerAnswer.unavailable(service, 0, why);
                });
    }

    private PeerAnswer answer(String service, HttpResponse<byte[]> response) {
        JsonNode body = null;
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (response.body().length > 0 && type.contains("json")) {
            try {
                body = json.readTree(response.body());
            } catch (IOException e) {
                return PeerAnswer.unavailable(service, response.statusCode(), "unreadable answer: " + e.getMessage());
            }
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return PeerAnswer.ok(service, status, body);
        }
        String detail = body == null ? "" : body.path("detail").asText(body.path("title").asText(""));
        // Quarkus' own 404 says "HTTP 404 Not Found": not twice
        String why = detail.startsWith("HTTP " + status) ? detail : "HTTP " + status + (detail.isEmpty() ? "" : ": " + detail);
        return new PeerAnswer(service, false, status, why, body);
    }

    /** The body as bytes, given up (and the exchange cancelled) once it is larger than {@link #MAX_ANSWER_BYTES}. */
    private static final class Capped implements HttpResponse.BodySubscriber<byte[]> {

        private final HttpResponse.BodySubscriber<byte[]> bytes = HttpResponse.BodySubscribers.ofByteArray();
        private Flow.Subscription subscription;
        private long read;

        @Override
        public CompletableFuture<byte[]> getBody() {
            return bytes.getBody().toCompletableFuture();
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            bytes.onSubscribe(s);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                read += b.remaining();
            }
            if (read > MAX_ANSWER_BYTES) {
                subscription.cancel();
                bytes.onError(new IOException("answer larger than " + MAX_ANSWER_BYTES + " bytes"));
                return;
            }
            bytes.onNext(items);
        }

        @Override
        public void onError(Throwable failure) {
            bytes.onError(failure);
        }

        @Override
        public void onComplete() {
            bytes.onComplete();
        }
    }
}
