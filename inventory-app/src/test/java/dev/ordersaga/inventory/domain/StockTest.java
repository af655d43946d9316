package dev.ordersaga.inventory.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StockTest {

    @Test
    void aNewSkuHasNothingReserved() {
        Stock s = Stock.of("SKU-7", 10);
        assertThat(s.sku()).isEqualTo("SKU-7");
        assertThat(s.available()).isEqualTo(10);
        assertThat(s.reserved()).isZero();
    }

    @Test
    void reservingMovesUnitsFromAvailableToReserved() {
        Stock s = Stocks.of(10);
        s.reserve(3);
        assertThat(s.available()).isEqualTo(7);
        assertThat(s.reserved()).isEqualTo(3);
        s.reserve(7);
        assertThat(s.available()).isZero();
        assertThat(s.reserved()).isEqualTo(10);
    }

    @Test
    void noMoreThanWhatIsAvailableCanBeReserved() {
        Stock s = Stocks.holding(2, 5);
        assertThat(s.canReserve(2)).isTrue();
        assertThat(s.canReserve(3)).isFalse();
        assertThatThrownBy(() -> s.reserve(3)).isInstanceOf(IllegalStateException.class).hasMessageContaining("SKU-1");
        assertThat(s.available()).isEqualTo(2);
        assertThat(s.reserved()).isEqualTo(5);
    }

    @Test
    void releasingGivesTheUnitsBack() {
        Stock s = Stocks.holding(6, 4);
        s.release(3);
        assertThat(s.available()).isEqualTo(9);
        assertThat(s.reserved()).isEqualTo(1);
        s.release(1);
        assertThat(s.available()).isEqualTo(10);
        assertThat(s.reserved()).isZero();
    }

    @Test
    void noMoreThanWhatIsReservedCanBeReleased() {
        Stock s = Stocks.holding(6, 4);
        assertThatThrownBy(() -> s.release(5)).isInstanceOf(IllegalStateException.class);
        assertThat(s.available()).isEqualTo(6);
        assertThat(s.reserved()).isEqualTo(4);
    }

    @Test
    void availableIsNeverNegative() {
        assertThatThrownBy(() -> Stock.of("SKU-1", -1)).isInstanceOf(IllegalArgumentException.class);
        Stock s = Stocks.of(5);
        assertThatThrownBy(() -> s.setAvailable(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(s.available()).isEqualTo(5);
        assertThat(Stock.of("SKU-1", 0).available()).isZero();
    }

    @Test
    void settingWhatIsAvailableKeepsWhatIsHeld() {
        Stock s = Stocks.holding(6, 4);
        s.setAvailable(20);
        assertThat(s.available()).isEqualTo(20);
        assertThat(s.reserved()).isEqualTo(4);
        s.release(4);
        assertThat(s.available()).isEqualTo(24);
    }
}
