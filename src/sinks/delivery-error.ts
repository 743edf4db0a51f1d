// The error a sink rejects send() with. Its message is safe to log: built without request bodies or header
// values, and passed through the sink's secret mask before it is thrown.
export class SinkDeliveryError extends Error {
  constructor(
    message: string,
    /** True when trying again later may succeed (network, 5xx, 429); false for a refusal (4xx). */
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SinkDeliveryError';
  }
}
