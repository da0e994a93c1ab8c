import type { SessionEvent } from '@sg/schema';
import { A, B, documentOf, Script } from './session-script.fixtures';

const TRACE_1 = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const TRACE_2 = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

/** The script's events from `index` on carry `traceparent`, as a gateway with tracing on writes them. */
function traced(script: Script, traceparent: string, from = 0): Script {
  for (const { event } of script.events.slice(from)) (event as SessionEvent).traceparent = traceparent;
  return script;
}

// PROTOCOL section 2, `trace_id`; docs/operations.md, "Tracing"
describe('the session trace', () => {
  it('is null when no event was traced', () => {
    expect(documentOf(new Script().connected().events).trace_id).toBeNull();
  });

  it("is the trace of the session's events", () => {
    expect(documentOf(traced(new Script().connected(), TRACE_1).events).trace_id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('comes from reports and candidates too, when they are the only traced events', () => {
    const script = new Script().joined(A, 0).joined(B, 0).signal('offer', A, B, 1_000);
    const from = script.events.length;
    script.signal('candidate', B, A, 1_100, '').state(B, 1_200, { connectionState: 'connecting' });
    expect(documentOf(traced(script, TRACE_2, from).events).trace_id).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('of two traces (both nodes started one), keeps the earliest event’s whatever the order read', () => {
    const script = new Script().joined(A, 0).joined(B, 0).signal('offer', A, B, 1_000);
    traced(script, TRACE_2);
    const from = script.events.length;
    traced(script.signal('offer', B, A, 900), TRACE_1, from);
    expect(documentOf(script.events).trace_id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(documentOf([...script.events].reverse().map((e, i) => ({ ...e, position: `${1_800_000_000_000 + i}-0/0` }))).trace_id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('does not depend on peer-joined events, which no session owns', () => {
    const script = traced(new Script().joined(A, 0).joined(B, 0), TRACE_1);
    script.signal('offer', A, B, 1_000);
    expect(documentOf(script.events).trace_id).toBeNull();
  });
});
