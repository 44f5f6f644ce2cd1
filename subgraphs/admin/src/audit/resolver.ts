import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { badInput, decodeCursor, pageSize, toConnection, type Connection, type Context } from '@herethere/runtime';
import { AuditLog, AuditLogConnection } from './entity';
import { listAuditLogs, type AuditLogRow } from './data';

/** The audit trail is for support and owners: viewers see the platform, not who did what. */
@Resolver(() => AuditLog)
export class AuditLogResolver {
  @Authorized('admin:support')
  @Query(() => AuditLogConnection, { description: 'Audit log entries, newest first.' })
  async auditLogs(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('action', () => String, { nullable: true }) action?: string,
    @Arg('adminUserId', () => ID, { nullable: true }) adminUserId?: string,
    @Arg('merchantId', () => ID, { nullable: true }) merchantId?: string,
    @Arg('since', () => Date, { nullable: true }) since?: Date,
    @Arg('until', () => Date, { nullable: true }) until?: Date,
  ): Promise<Connection<AuditLogRow>> {
    const limit = pageSize(first);
    if (since && until && since > until) throw badInput('since must not be after until', 'since');
    const rows = await listAuditLogs(ctx, { action, adminUserId, merchantId, since, until }, limit, decodeCursor(after));
    return toConnection(rows, limit, (r) => r.id, undefined, Boolean(after));
  }
}
