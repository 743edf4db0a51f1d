// The services every emulator serves, routed by their SigV4 signing name. A new service is one module
// file in this folder and one line here.
import type { ServiceModule } from '../service.js';
import { iamService } from './iam/iam-service.js';
import { identityStoreService } from './identitystore.js';
import { organizationsService } from './organizations.js';
import { s3Service } from './s3.js';
import { sqsService } from './sqs.js';
import { ssoAdminService } from './sso-admin.js';
import { stsService } from './sts.js';

export const BUILTIN_SERVICES: readonly ServiceModule[] = [
  iamService,
  stsService,
  organizationsService,
  identityStoreService,
  ssoAdminService,
  sqsService,
  s3Service,
];
