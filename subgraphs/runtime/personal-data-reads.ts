// One request's reads of other persons' data: the legal basis each rests on, and the events that record them. One
// event per (resource, person, request), listing the fields read, however many fields or times they were resolved.
// A read with no legal basis is refused (the field answers FORBIDDEN) and recorded as a refusal.
import type { AccessChecker } from '../../access/access-checker.ts';
import type { Principal } from '../../access/principal.ts';
import type { AuditEventInput } from '../../auditlog/event.ts';
import { hasValidPersonNumberCheckDigits } from '../../common/identifiers.ts';
import type { AuditedResource, PersonalDataOwners } from './personal-data.ts';

export const PERSONAL_DATA_READ = 'PERSONAL_DATA_READ';
export const PERSONAL_DATA_REFUSED = 'PERSONAL_DATA_REFUSED';

interface Access {
  resource: AuditedResource;
  subject: string;
  fields: Set<string>;
}

export class PersonalDataReads {
  private readonly reads = new Map<string, Access>();
  private readonly refusals = new Map<string, Access>();
  /** Type.field → how many times it was refused for want of a legal basis. */
  private readonly refusedAt = new Map<string, number>();

  constructor(
    private readonly owners: PersonalDataOwners,
    private readonly reader: Principal,
    private readonly access: AccessChecker,
  ) {}

  /** The persons other than the reader whom this field of this row is about. */
  private othersIn(
    type: string,
    field: string,
    row: unknown,
  ): { resource: AuditedResource; others: string[] } {
    const owner = this.owners[type];
    // A marked field on a type without an owner cannot start (personal-data.ts assertOwned); refuse regardless.
    if (!owner) throw new Error(`no personal data owner for ${type}`);
    const self = this.reader.kind === 'person' ? this.reader.pid : null;
    const others = new Set<string>();
    for (const subject of owner.subjects(row as never, field)) {
      // Only a person is a data subject; an integration's id in the same column (Grant.actorId) is not.
      if (typeof subject === 'string' && subject !== self && hasValidPersonNumberCheckDigits(subject)) {
        others.add(subject);
      }
    }
    return { resource: owner.resource(row as never), others: [...others] };
  }

  private async basisOf(resource: AuditedResource): Promise<string | null> {
    for (const resourceId of resource.resourceIds ?? []) {
      const basis = await this.access.legalBasis({ resourceId });
      if (basis) return basis;
    }
    return this.access.legalBasis({ orgnr: resource.orgnr });
  }

  /** The legal-basis rule: reading one's own data needs none; another person's needs a grant that carries one. */
  async mayRead(type: string, field: string, row: unknown): Promise<boolean> {
    const { resource, others } = this.othersIn(type, field, row);
    if (others.length === 0) return true;
    if (await this.basisOf(resource)) return true;
    for (const subject of others) note(this.refusals, resource, subject, field);
    const coordinate = `${type}.${field}`;
    this.refusedAt.set(coordinate, (this.refusedAt.get(coordinate) ?? 0) + 1);
    return false;
  }

  /** How many of this request's refusals at Type.field were for want of a legal basis. */
  refusalsAt(coordinate: string): number {
    return this.refusedAt.get(coordinate) ?? 0;
  }

  /** A marked field was answered (the rules above allowed it). */
  noteRead(type: string, field: string, row: unknown): void {
    const { resource, others } = this.othersIn(type, field, row);
    for (const subject of others) note(this.reads, resource, subject, field);
  }

  /** The request's events: each read with its legal basis, and each refusal. */
  async events(): Promise<AuditEventInput[]> {
    const events: AuditEventInput[] = [];
    for (const read of this.reads.values()) {
      const orgnr = await this.organizationOf(read.resource);
      events.push(toEvent(PERSONAL_DATA_READ, read, orgnr, await this.basisOf(read.resource)));
    }
    for (const refusal of this.refusals.values()) {
      const orgnr = await this.organizationOf(refusal.resource);
      events.push(toEvent(PERSONAL_DATA_REFUSED, refusal, orgnr, null, { reason: 'LEGAL_BASIS_MISSING' }));
    }
    return events;
  }

  /** The organisation whose log the event belongs to: the row's, or that of the resource it lives on. */
  private async organizationOf(resource: AuditedResource): Promise<string | null> {
    if (resource.orgnr) return resource.orgnr;
    const [resourceId] = resource.resourceIds ?? [];
    return resourceId ? this.access.organizationOfResource(resourceId) : null;
  }
}

function note(into: Map<string, Access>, resource: AuditedResource, subject: string, field: string): void {
  const key = `${resource.type}\0${resource.id}\0${subject}`;
  let access = into.get(key);
  if (!access) into.set(key, (access = { resource, subject, fields: new Set() }));
  access.fields.add(field);
}

function toEvent(
  action: string,
  access: Access,
  orgnr: string | null,
  legalBasis: string | null,
  extra: Record<string, unknown> = {},
): AuditEventInput {
  return {
    orgnr,
    action,
    dataSubject: access.subject,
    legalBasis,
    payload: {
      resourceType: access.resource.type,
      resourceId: access.resource.id,
      fields: [...access.fields].sort(),
      ...extra,
    },
  };
}
