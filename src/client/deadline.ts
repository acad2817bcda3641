/**
 * Attempt timeouts without a timer and an `AbortController` for every attempt, which together cost more than the
 * rest of the client's own work on a fast local call. Attempts with the same timeout that start close together
 * (within 1/16 of the timeout, at most 1 s, and at most {@link GROUP_SIZE} of them) share one group: one
 * controller whose signal every member's fetch gets, and one timer. The timer fires at the first member's
 * deadline; while a later member is still in flight and before its own deadline, it waits on until the latest
 * deadline, then aborts every member still in flight. So an attempt never times out early, and at most that
 * window late; a lone attempt (the usual hung one) times out on the dot.
 */

/** Most attempts in one group: it bounds the listeners a runtime's fetch leaves on the shared signal. */
export const GROUP_SIZE = 16;

/** The group an attempt joined: pass `signal` to its fetch and call {@link leave} when the attempt is over. */
export interface Group {
  /** Aborted once the timeout of the members still in flight has passed. */
  readonly signal: AbortSignal;
  /** Members in flight. */
  inFlight: number;
}

interface GroupState extends Group {
  controller: AbortController;
  timeoutMs: number;
  opened: number;
  lastDeadline: number;
  members: number;
  /** Set once no attempt can join any more. */
  closed?: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

export interface Deadlines {
  /** Puts an attempt that starts now in a group, whose signal aborts once `timeoutMs` has passed. */
  join(timeoutMs: number): Group;
  /** Takes the attempt out: it was answered, failed or timed out. */
  leave(group: Group): void;
}

/** One client's groups. */
export function deadlines(): Deadlines {
  let open: GroupState | undefined;

  const arm = (group: GroupState, delay: number) => {
    // Never holds a Node process open: an attempt in flight holds it by its socket. (Switching it on and off
    // with the attempts would cost a call into the event loop each time.)
    (group.timer = setTimeout(fire, delay, group) as { unref?: () => void } & ReturnType<typeof setTimeout>).unref?.();
  };

  function fire(group: GroupState) {
    const wait = group.lastDeadline - Date.now();
    if (group.inFlight && wait > 0) return arm(group, wait);
    close(group);
    if (group.inFlight) group.controller.abort();
  }

  const close = (group: GroupState) => {
    group.closed = true;
    if (open === group) open = undefined;
    if (!group.inFlight) clearTimeout(group.timer);
  };

  return {
    join(timeoutMs) {
      const now = Date.now();
      let group = open;
      if (
        !group ||
        group.timeoutMs !== timeoutMs ||
        group.members >= GROUP_SIZE ||
        now - group.opened > Math.min(1_000, timeoutMs / 16)
      ) {
        if (group) close(group);
        const controller = new AbortController();
        arm((group = open = { signal: controller.signal, controller, timeoutMs, opened: now, lastDeadline: 0, members: 0, inFlight: 0 }), timeoutMs);
      }
      group.members++;
      group.lastDeadline = now + timeoutMs;
      group.inFlight++;
      return group;
    },
    leave(group) {
      if (!--group.inFlight && (group as GroupState).closed) clearTimeout((group as GroupState).timer);
    },
  };
}
