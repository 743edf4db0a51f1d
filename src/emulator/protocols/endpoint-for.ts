// The endpoint of each protocol a service module can declare. Adding a protocol (AWS JSON 1.0 for SQS,
// REST-XML for S3) is its module type in service.ts, an endpoint file beside these, and a case here.
import type { ServiceModule } from '../service.js';
import { jsonEndpoint } from './json-endpoint.js';
import { queryEndpoint } from './query-endpoint.js';
import { restXmlEndpoint } from './rest-xml-endpoint.js';
import type { ServiceEndpoint } from './service-endpoint.js';

export function endpointFor(module: ServiceModule): ServiceEndpoint {
  switch (module.protocol) {
    case 'query':
      return queryEndpoint(module);
    case 'json':
      return jsonEndpoint(module);
    case 'rest-xml':
      return restXmlEndpoint(module);
  }
}
