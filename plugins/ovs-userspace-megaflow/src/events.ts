// The two event records of the ring buffer, told apart by their first byte (enum mf_event_type),
// decoded by the generated decoders into one tagged value for the stream.
import type { StructLayout } from '@nettrace/core';
import {
  decodeFlowEvent,
  decodeUpcallEvent,
  type FlowEvent,
  FlowEventSize,
  MfEventType,
  type UpcallEvent,
  UpcallEventSize,
} from './ovs_userspace_megaflow.gen.js';

export type MegaflowEvent = ({ kind: 'upcall' } & UpcallEvent) | ({ kind: 'flow_new' } & FlowEvent);

export const MegaflowEventLayout: StructLayout<MegaflowEvent> = {
  name: 'upcall_event | flow_event',
  size: Math.max(FlowEventSize, UpcallEventSize),
  decode(view, offset) {
    return view.getUint8(offset) === MfEventType.MF_FLOW_NEW
      ? { kind: 'flow_new', ...decodeFlowEvent(view, offset) }
      : { kind: 'upcall', ...decodeUpcallEvent(view, offset) };
  },
};
