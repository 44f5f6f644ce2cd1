import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSchema, createResolversMap, type BuildSchemaOptions, type NonEmptyArray } from 'type-graphql';
import { authChecker, type Context, type Deps } from './context';
import type { WebhookHandler } from './inbox';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ReferenceResolvers = Record<string, { __resolveReference: (ref: any, ctx: Context) => unknown }>;

export interface SubgraphDefinition {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  /** Entity reference resolvers, merged in after type-graphql builds the schema. */
  referenceResolvers?: ReferenceResolvers;
  /** Background workers (outbox sending, daily jobs) run by the service's process. */
  workers?: WorkerFactory[];
  /** Shopify webhook topics this subgraph's domain handles, run by the inbox processor. */
  webhookHandlers?: Record<string, WebhookHandler>;
}

export interface Worker {
  name: string;
  stop(): Promise<void>;
}
export type WorkerFactory = (deps: Deps) => Worker;

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible"])';

async function buildTypeGraphql(def: SubgraphDefinition, extra: Partial<BuildSchemaOptions> = {}): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: def.resolvers,
    orphanedTypes: def.orphanedTypes,
    authChecker,
    authMode: 'error',
    validate: false,
    emitSchemaFile: false,
    ...extra,
  });
}

/** The subgraph's SDL as composition sees it (with federation directives). */
export async function printSubgraphSdl(def: SubgraphDefinition): Promise<string> {
  const schema = await buildTypeGraphql(def);
  return `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`;
}

/**
 * type-graphql builds the schema, it is printed with its directives, and @apollo/subgraph rebuilds
 * it as a federated subgraph with type-graphql's resolvers and the reference resolvers merged in.
 */
export async function buildFederatedSchema(def: SubgraphDefinition): Promise<GraphQLSchema> {
  const schema = await buildTypeGraphql(def);
  const typeDefs = gql(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`);
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [type, ref] of Object.entries(def.referenceResolvers ?? {})) {
    resolvers[type] = { ...(resolvers[type] ?? {}), ...ref };
  }
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
}
