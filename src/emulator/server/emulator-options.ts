// What startEmulator accepts: the world to serve (or how to generate one), throttling and random faults,
// the clock, and extra service modules.
import type { GeneratorOptions } from '../generator/generator-options.js';
import type { GroundTruth } from '../ground-truth.js';
import type { EmuWorld } from '../model.js';
import type { ServiceModule } from '../service.js';
import type { ChangeFeedOptions } from '../sqs/change-feed.js';

export interface EmulatorOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number;
  /** Address to listen on (default 127.0.0.1); 0.0.0.0 lets other containers of a network reach it. */
  host?: string | undefined;
  /** A prepared world; when absent one is generated from `generator`. */
  world?: EmuWorld;
  truth?: GroundTruth;
  generator?: GeneratorOptions;
  /** Per-account token bucket refill rate (requests per second); absent or 0 = no throttling. */
  throttleRps?: number;
  /** Bucket size; defaults to max(1, throttleRps). */
  throttleBurst?: number;
  /** Probability (0..1) of a random 500 InternalFailure / 503 ServiceUnavailable per call. */
  errorRate?: number;
  /** Added to every signed call. */
  latencyMs?: number;
  /** Probability (0..1) of a malformed (unparseable) 200 response per call. */
  malformedRate?: number;
  /**
   * Probability (0..1) of a Throttling answer per call whatever the load: other tools spending the account's
   * rate. Applies alongside the token bucket of throttleRps.
   */
  throttleErrorRate?: number;
  /** Probability (0..1) that a call's connection is reset instead of answered. */
  resetRate?: number;
  /**
   * The actions the random rates (error, malformed, throttle error, reset) apply to, as "ListMFADevices" or
   * "iam:ListMFADevices"; absent = every action.
   */
  faultActions?: string[];
  /** Seed for the fault randomness (default 1). */
  seed?: number;
  /** The emulator's clock for timestamps (credential report, session expiry); the throttle uses real time. */
  now?: () => number;
  /** Extra service modules (e.g. Organizations, Identity Store) keyed by their signing name. */
  services?: ServiceModule[];
  /** Each admin mutation publishes its CloudTrail-shaped EventBridge event to this queue (issue 15). */
  changeFeed?: ChangeFeedOptions;
}
