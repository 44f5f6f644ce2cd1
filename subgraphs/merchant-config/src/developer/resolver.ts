import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { describePrincipal, shopOf, userError, UserError, UserErrorCode, type Context } from '@herethere/runtime';
import { ApiKey, ApiKeyScopeEnum } from './entity';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from './data';

@InputType()
class ApiKeyCreateInput {
  @Field(() => String) name!: string;
  @Field(() => [ApiKeyScopeEnum]) scopes!: ApiKeyScopeEnum[];
}

@ObjectType()
class ApiKeyCreatePayload {
  @Field(() => ApiKey, { nullable: true }) apiKey?: ApiKeyRow | null;
  @Field(() => String, { nullable: true, description: 'The full key. Shown only in this response; store it now.' }) secret?: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType()
class ApiKeyRevokeInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
class ApiKeyRevokePayload {
  @Field(() => ApiKey, { nullable: true }) apiKey?: ApiKeyRow | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

/** Developer keys are managed by the merchant only: a key can never mint or revoke keys. */
@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Authorized('merchant')
  @Query(() => [ApiKey])
  async apiKeys(@Ctx() ctx: Context): Promise<ApiKeyRow[]> {
    return listApiKeys(ctx, shopOf(ctx, 'merchant').merchantId);
  }

  @Authorized('merchant')
  @Mutation(() => ApiKeyCreatePayload)
  async apiKeyCreate(@Arg('input', () => ApiKeyCreateInput) input: ApiKeyCreateInput, @Ctx() ctx: Context): Promise<ApiKeyCreatePayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const name = input.name.trim();
    if (name.length === 0 || name.length > 80) return { userErrors: [userError(UserErrorCode.INVALID, 'name must be 1 to 80 characters', ['input', 'name'])] };
    if (input.scopes.length === 0) return { userErrors: [userError(UserErrorCode.INVALID, 'scopes must name at least one scope', ['input', 'scopes'])] };
    const { row, key } = await createApiKey(ctx, merchantId, describePrincipal(ctx.principal), name, [...new Set(input.scopes)]);
    return { apiKey: row, secret: key, userErrors: [] };
  }

  @Authorized('merchant')
  @Mutation(() => ApiKeyRevokePayload)
  async apiKeyRevoke(@Arg('input', () => ApiKeyRevokeInput) input: ApiKeyRevokeInput, @Ctx() ctx: Context): Promise<ApiKeyRevokePayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const row = await revokeApiKey(ctx, merchantId, describePrincipal(ctx.principal), input.id);
    if (!row) return { userErrors: [userError(UserErrorCode.NOT_FOUND, 'No API key with that id', ['input', 'id'])] };
    return { apiKey: row, userErrors: [] };
  }
}
