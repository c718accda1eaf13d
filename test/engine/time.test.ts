// Tests for the time unit helpers: conversion, rounding and loud rejection of bad times.
import { describe, expect, it } from 'vitest';
import { MAX_TIME_NS, NS_PER_SECOND, assertTime, nsToSeconds, secondsToNs } from '../../src/engine/index.ts';

describe('secondsToNs / nsToSeconds', () => {
  it('converts and rounds to the nearest nanosecond', () => {
    expect(NS_PER_SECOND).toBe(1e9);
    expect(secondsToNs(1.5)).toBe(1_500_000_000);
    expect(secondsToNs(1.2e-9)).toBe(1);
    expect(secondsToNs(1.6e-9)).toBe(2);
    expect(secondsToNs(0)).toBe(0);
    expect(nsToSeconds(2_500_000_000)).toBe(2.5);
  });

  it.each([NaN, -1, Infinity, -Infinity])('rejects %s with a RangeError', (bad) => {
    expect(() => secondsToNs(bad)).toThrow(RangeError);
    expect(() => secondsToNs(bad)).toThrow(/secondsToNs/);
  });

  it('rejects times beyond the exact range', () => {
    expect(() => secondsToNs(1e8)).toThrow(/largest exact time/);
  });
});

describe('assertTime', () => {
  it('accepts integer nanoseconds in range', () => {
    expect(() => assertTime(0, 'x')).not.toThrow();
    expect(() => assertTime(MAX_TIME_NS, 'x')).not.toThrow();
  });

  it.each([
    [1.5, /not an integer/],
    [-3, /negative/],
    [NaN, /NaN/],
    [Infinity, /not finite/],
    [MAX_TIME_NS + 1, /largest exact time/],
  ])('rejects %s and names the value', (bad, reason) => {
    expect(() => assertTime(bad, 'link latency')).toThrow(RangeError);
    expect(() => assertTime(bad, 'link latency')).toThrow(/^link latency must be an integer/);
    expect(() => assertTime(bad, 'link latency')).toThrow(reason);
  });
});
