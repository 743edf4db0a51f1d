// Facts about destinations that both a sink schema and its sink rely on. Plain values, no schema code:
// the running program reads them without loading the TypeBox sources.

/** The Sekoia.io intake refuses requests above 9 MiB (measured on the encoded body). */
export const SEKOIA_MAX_REQUEST_BYTES = 9 * 1024 * 1024;

/** RFC 5424 facilities in code order: a facility's numeric code is its index here. */
export const SYSLOG_FACILITY_NAMES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'security',
  'console',
  'clock',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
] as const;

export type SyslogFacility = (typeof SYSLOG_FACILITY_NAMES)[number];
