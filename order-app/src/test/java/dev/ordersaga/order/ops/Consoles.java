package dev.ordersaga.order.ops;

import dev.ordersaga.events.Topics;
import dev.ordersaga.stack.TestStack;
import dev.ordersaga.stack.TestTokens;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** What the console tests set up: an order placed by a customer, and an event of it on a topic. */
final class Consoles {

    static final String OPERATOR = "ops-1";

    private Consoles() {
    }

    private static String operator;

    /** One operator token for the test JVM, so that a test can recognise it where it was passed on. */
    static synchronized String operator() {
        if (operator == null) {
            operator = TestTokens.bearer(OPERATOR, "operator");
        }
        return operator;
    }

    static String placeOrder() {
        return given().header("Authorization", TestTokens.bearer("c-ops", "customer")).contentType(ContentType.JSON)
                .body("{\"items\": [{\"sku\": \"SKU-1\", \"quantity\": 1}]}").post("/orders")
                .then().statusCode(202).extract().path("id");
    }

    /** A StockReserved for the order on inventory.events, as inventory-app would write it; where it landed. */
    static RecordMetadata stockReserved(String orderId) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.shared().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> r = new ProducerRecord<>(Topics.INVENTORY, orderId,
                    "{\"version\":1,\"orderId\":\"" + orderId + "\"}");
            r.headers().add(Topics.ID_HEADER, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            r.headers().add(Topics.TYPE_HEADER, "StockReserved".getBytes(StandardCharsets.UTF_8));
            return producer.send(r).get();
        }
    }
}
