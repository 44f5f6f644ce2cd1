import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { forbidden, UserError, type Context } from '@herethere/runtime';
import { actorOf, adminOf } from '../actor';
import { AdminUser } from '../user/entity';
import { adminUserById, type AdminUserRow } from '../user/data';
import { AdminSession } from './entity';
import { listSessions, login, revokeSession, type AdminSessionRow } from './data';

@InputType()
class AdminSessionCreateInput {
  @Field(() => String) username!: string;
  @Field(() => String) password!: string;
}

@ObjectType()
class AdminSessionCreatePayload {
  @Field(() => String, { nullable: true, description: 'The bearer token (`hta_…`). Shown only in this response; valid for 12 hours.' }) token?: string | null;
  @Field(() => Date, { nullable: true }) expiresAt?: Date | null;
  @Field(() => AdminSession, { nullable: true }) session?: AdminSessionRow | null;
  @Field(() => AdminUser, { nullable: true }) adminUser?: AdminUserRow | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType()
class AdminSessionRevokeInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
class AdminSessionRevokePayload {
  @Field(() => AdminSession, { nullable: true }) session?: AdminSessionRow | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@Resolver(() => AdminSession)
export class AdminSessionResolver {
  /** Sign-in: deliberately open to the anonymous principal (it is how an admin stops being one). */
  @Mutation(() => AdminSessionCreatePayload, { description: 'Signs an admin in with username and password.' })
  async adminSessionCreate(@Arg('input', () => AdminSessionCreateInput) input: AdminSessionCreateInput, @Ctx() ctx: Context): Promise<AdminSessionCreatePayload> {
    const result = await login(ctx, input.username, input.password);
    if (!result.ok) return { token: null, expiresAt: null, session: null, adminUser: null, userErrors: result.errors };
    return { token: result.token, expiresAt: result.session.expiresAt, session: result.session, adminUser: result.user, userErrors: [] };
  }

  @Authorized('admin')
  @Mutation(() => AdminSessionRevokePayload, { description: 'Signs a session out. Admins may revoke their own sessions, owners anyone’s.' })
  async adminSessionRevoke(@Arg('input', () => AdminSessionRevokeInput) input: AdminSessionRevokeInput, @Ctx() ctx: Context): Promise<AdminSessionRevokePayload> {
    const result = await revokeSession(ctx, actorOf(ctx), adminOf(ctx), input.id);
    return result.ok ? { session: result.session, userErrors: [] } : { session: null, userErrors: result.errors };
  }

  @Authorized('admin')
  @Query(() => [AdminSession], { description: 'Sessions of the signed-in admin (owners may name another admin), newest first, at most 100.' })
  async adminSessions(
    @Ctx() ctx: Context,
    @Arg('includeInactive', () => Boolean, { defaultValue: false, description: 'Also list revoked and expired sessions.' }) includeInactive: boolean,
    @Arg('adminUserId', () => ID, { nullable: true }) adminUserId?: string,
  ): Promise<AdminSessionRow[]> {
    const me = adminOf(ctx);
    if (adminUserId && adminUserId !== me.adminUserId && me.role !== 'owner') throw forbidden('Only an owner can list another admin’s sessions');
    return listSessions(ctx, adminUserId ?? me.adminUserId, includeInactive);
  }

  @FieldResolver(() => Boolean, { description: 'Neither revoked nor expired.' })
  active(@Root() s: AdminSessionRow): boolean {
    return !s.revokedAt && s.expiresAt > new Date();
  }

  @FieldResolver(() => Boolean, { description: 'The session this request is made with.' })
  current(@Root() s: AdminSessionRow, @Ctx() ctx: Context): boolean {
    return ctx.principal.kind === 'admin' && ctx.principal.sessionId === s.id;
  }

  @FieldResolver(() => AdminUser, { nullable: true })
  async adminUser(@Root() s: AdminSessionRow, @Ctx() ctx: Context): Promise<AdminUserRow | null> {
    return adminUserById(ctx).load(s.adminUserId);
  }
}
