import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deadlines, GROUP_SIZE } from '../../src/client/deadline.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('attempt deadlines', () => {
  it('aborts a lone attempt exactly when its timeout has passed', () => {
    const d = deadlines();
    const group = d.join(1_000);
    vi.advanceTimersByTime(999);
    expect(group.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(group.signal.aborted).toBe(true);
  });

  it('never aborts an attempt early: a later member keeps the group alive until its own deadline', () => {
    const d = deadlines();
    const first = d.join(1_000);
    vi.advanceTimersByTime(40);
    const second = d.join(1_000);
    expect(second).toBe(first);
    d.leave(first);
    vi.advanceTimersByTime(960);
    // The first member's deadline has passed, but it has left; the second is still 40 ms short of its own.
    expect(second.signal.aborted).toBe(false);
    vi.advanceTimersByTime(39);
    expect(second.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(second.signal.aborted).toBe(true);
  });

  it('times an attempt out at most the join window late (1/16 of the timeout)', () => {
    const d = deadlines();
    const group = d.join(1_600);
    vi.advanceTimersByTime(100);
    // Joins within 100 ms (1600 / 16) of the group's start.
    expect(d.join(1_600)).toBe(group);
    vi.advanceTimersByTime(1);
    // Past the window: a new group.
    const next = d.join(1_600);
    expect(next).not.toBe(group);
    vi.advanceTimersByTime(1_499);
    expect(group.signal.aborted).toBe(false);
    // 1,600 ms after the first member, 100 ms after its last one joined: the last member's deadline.
    vi.advanceTimersByTime(100);
    expect(group.signal.aborted).toBe(true);
    expect(next.signal.aborted).toBe(false);
  });

  it('leaves alone a group whose members all finished in time', () => {
    const d = deadlines();
    const group = d.join(1_000);
    d.leave(group);
    vi.advanceTimersByTime(5_000);
    expect(group.signal.aborted).toBe(false);
  });

  it(`shares one signal among at most ${GROUP_SIZE} attempts, and a separate one per timeout`, () => {
    const d = deadlines();
    const groups = Array.from({ length: GROUP_SIZE + 1 }, () => d.join(30_000));
    expect(new Set(groups.slice(0, GROUP_SIZE)).size).toBe(1);
    expect(groups[GROUP_SIZE]).not.toBe(groups[0]);
    expect(d.join(10_000)).not.toBe(groups[GROUP_SIZE]);
  });

  it('keeps no timer for a closed group once its members are done, and none holds a process open', () => {
    const d = deadlines();
    const first = d.join(30_000);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(2_000);
    const second = d.join(30_000);
    expect(second).not.toBe(first);
    expect(vi.getTimerCount()).toBe(2);
    d.leave(first);
    expect(vi.getTimerCount()).toBe(1);
    d.leave(second);
    // The open group keeps its timer (unref'd) until it closes; that timer then aborts nothing.
    expect(vi.getTimerCount()).toBe(1);
    vi.runAllTimers();
    expect(second.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('attempt deadlines on real timers', () => {
  it('never hold a Node process open: only an attempt in flight (its socket) does', () => {
    vi.useRealTimers();
    const d = deadlines();
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const group = d.join(60_000);
    d.leave(group);
    d.join(60_000);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
  });
});
