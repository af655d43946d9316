package dev.ordersaga.coupon.domain;

public enum CouponStatus { AVAILABLE, LOCKED, REDEEMED }
