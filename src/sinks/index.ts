// What the rest of the program uses from src/sinks.
export type {
  OutboundEvent,
  RejectedEvent,
  SendResult,
  Sink,
  SinkContext,
  SinkFactory,
  SinkLogger,
} from './sink.js';
export { SinkDeliveryError } from './delivery-error.js';
export { SINK_TYPES, assignSinkNames, createSink, createSinks } from './registry.js';
