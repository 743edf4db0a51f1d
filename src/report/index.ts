// The posture report: figures computed once from the state's last events (posture.ts), rendered three ways.
export {
  computePosture,
  POSTURE_LEVELS,
  type Posture,
  type PostureLevel,
  type PostureOptions,
} from './posture.js';
export { renderPosture, REPORT_FORMATS, type ReportFormat } from './render.js';
export { renderPostureSummary } from './render-summary.js';
