/** A small declared state (files by path relative to the state folder), shared by the unit and e2e tests of v2. */

export const SECRET_VALUE = 'nv-secret-Zq81x-do-not-print';

export const spec = (title: string, ops: string[]) => `openapi: 3.0.1
info:
  title: ${title}
paths:
${ops.map((op) => `  /${op.toLowerCase()}:
    get:
      operationId: ${op}
      responses: { '200': { description: ok } }`).join('\n')}
`;

export const policy = (inbound: string) => `<policies>
  <inbound>
    <base />
    ${inbound}
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>
`;

export const MODEL = `namedValues:
  backend-key:
    value: ${SECRET_VALUE}
    secret: true
  env-name:
    value: test
  kv-cert:
    keyVault:
      secretIdentifier: https://kv-contoso.vault.azure.net/secrets/cert
backends:
  orders-backend:
    url: https://orders.internal.contoso.com
    credentials:
      header:
        x-key: ['{{backend-key}}']
apis:
  orders:
    path: orders
    displayName: Orders
    serviceUrl: https://orders.contoso.com
    spec: apis/orders.yaml
    policy: apis/orders-policy.xml
    operationPolicies: apis/orders-ops
  pets:
    path: pets
    spec: apis/pets.yaml
    tags: [public]
products:
  starter:
    displayName: Starter
    state: published
    subscriptionRequired: true
    apis: [orders, pets]
    groups: [developers]
    policy: products/starter.xml
globalPolicy: global.xml
`;

export const ENVIRONMENTS = `dev:
  backends:
    orders-backend:
      url: https://orders.dev.contoso.com
  namedValues:
    env-name:
      value: dev
  products:
    starter:
      state: notPublished
prod:
  apis:
    orders:
      serviceUrl: https://orders.prod.contoso.com
`;

export function sampleState(): Record<string, string> {
  return {
    'apim.yaml': MODEL,
    'environments.yaml': ENVIRONMENTS,
    'apis/orders.yaml': spec('Orders', ['listOrders', 'getOrder']),
    'apis/pets.yaml': spec('Pets', ['listPets']),
    'apis/orders-policy.xml': policy('<set-header name="x-env" exists-action="override"><value>{{env-name}}</value></set-header>\n    <set-backend-service backend-id="orders-backend" />'),
    'apis/orders-ops/listOrders.xml': policy('<set-header name="x-op" exists-action="override"><value>list</value></set-header>'),
    'products/starter.xml': policy('<rate-limit calls="100" renewal-period="60" />'),
    'global.xml': policy('<set-header name="x-global" exists-action="override"><value>1</value></set-header>').replace(/\s*<base \/>/g, ''),
  };
}

/** A WSDL with two services (so `wsdl.serviceName` is needed) and a GraphQL schema, for the non-OpenAPI APIs. */
export const CALC_WSDL = `<?xml version="1.0"?>
<definitions name="Calc" xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="urn:calc" targetNamespace="urn:calc">
  <portType name="CalcPort"><operation name="Add"/><operation name="Subtract"/></portType>
  <binding name="b" type="tns:CalcPort"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/><operation name="Add"><soap:operation soapAction="urn:calc#Add"/></operation><operation name="Subtract"><soap:operation soapAction="urn:calc#Subtract"/></operation></binding>
  <service name="CalcService"><port name="CalcSoap" binding="tns:b"><soap:address location="https://soap.contoso.com/calc"/></port></service>
  <service name="CalcLegacy"><port name="CalcLegacySoap" binding="tns:b"><soap:address location="https://legacy.contoso.com/calc"/></port></service>
</definitions>
`;

export const LIBRARY_GRAPHQL = `type Book {
  id: ID!
  title: String
}

type Query {
  books: [Book]
  book(id: ID!): Book
}
`;

export const FORMATS_MODEL = `apis:
  calc:
    path: calc
    description: Calculator
    serviceUrl: https://soap.contoso.com/calc
    spec: apis/calc.wsdl
    wsdl:
      serviceName: CalcService
      soapApiType: soap
  library:
    path: library
    displayName: Library
    serviceUrl: https://library.contoso.com/graphql
    spec: apis/library.graphql
`;

export function formatsState(): Record<string, string> {
  return { 'apim.yaml': FORMATS_MODEL, 'apis/calc.wsdl': CALC_WSDL, 'apis/library.graphql': LIBRARY_GRAPHQL };
}
