package dev.ordersaga.order.domain;

public enum OrderStatus { PENDING, CONFIRMED, CANCELLED }
