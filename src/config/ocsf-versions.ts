// The OCSF versions the product emits, newest first: the config schema's enum and default, the compiled
// schemas under schemas/ocsf/<version>/ and the mapping all take them from here. Adding a version starts here.

export const OCSF_VERSIONS = ['1.8.0', '1.6.0', '1.3.0', '1.1.0'] as const;

export type OcsfVersion = (typeof OCSF_VERSIONS)[number];

/** The version the mapping produces before projection, and the default of ocsf.version. */
export const LATEST_OCSF_VERSION: OcsfVersion = OCSF_VERSIONS[0];
