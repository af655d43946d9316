package dev.ordersaga.order.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The merge of the services' answers, without any service. */
class TimelineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void aServiceThatDidNotAnswerAddsItsErrorAndNothingElse() throws Exception {
        PeerAnswer inventory = PeerAnswer.ok("inventory-app", 200, json("{'state':{},'written':[{'eventId':'e2','type':'StockReserved',"
                + "'writtenAt':'2026-12-04T01:00:02Z','published':false}],'consumed':[],'parked':[]}"));
        ObjectNode merged = Timeline.merge(List.of(PeerAnswer.unavailable("order-app", 0, "no answer within 3000 ms"), inventory),
                List.of(PeerAnswer.unavailable("order-app", 0, "no answer within 3000 ms")));
        assertThat(merged.path("services").get(0).path("available").asBoolean()).isFalse();
        assertThat(merged.path("services").get(0).path("error").asText()).isEqualTo("no answer within 3000 ms");
        assertThat(merged.path("services").get(0).has("state")).isFalse();
        assertThat(merged.path("events")).hasSize(1);
        assertThat(merged.path("events").get(0).path("producer").asText()).isEqualTo("inventory-app");
        assertThat(merged.path("timeline").get(0).path("detail").asText()).isEqualTo("not yet published");
        assertThat(merged.path("audit")).isEmpty();
    }

    @Test
    void stepsWithoutAReadableTimeComeLastAndNoneIsDropped() throws Exception {
        PeerAnswer coupons = PeerAnswer.ok("coupon-app", 200, json("{'written':[],'consumed':["
                + "{'consumer':'coupon-app','eventId':'e1','type':'OrderPlaced','outcome':'applied','at':'yesterday','caused':[]},"
                + "{'consumer':'coupon-app','eventId':'e3','type':'OrderCancelled','outcome':'duplicate','at':'2026-12-04T01:00:05+01:00'},"
                + "{'consumer':'coupon-app','eventId':'e1','type':'OrderPlaced','outcome':'duplicate','at':'2026-12-04T00:00:01Z'}],'parked':[]}"));
        ObjectNode merged = Timeline.merge(List.of(coupons), List.of());
        List<String> order = new java.util.ArrayList<>();
        merged.path("timeline").forEach(s -> order.add(s.path("eventId").asText() + " " + s.path("what").asText()));
        // 01:00:05+01:00 is 00:00:05Z: after the duplicate at 00:00:01Z
        assertThat(order).containsExactly("e1 duplicate", "e3 duplicate", "e1 applied");
        assertThat(merged.path("events").get(0).path("consumers")).hasSize(2);
    }
}
