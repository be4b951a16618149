import React, { useState } from 'react';
import { InlineField, Input } from '@grafana/ui';
import { FORMATION_NAME, MAX_GROUP } from '../constants';
import { PghaQuery } from '../types';

export const formationTestIds = {
  formation: 'data-testid pgha-query-formation',
  group: 'data-testid pgha-query-group',
};

interface Props {
  query: PghaQuery;
  update: (patch: Partial<PghaQuery>) => void;
}

/**
 * The query's formation and group options: which formation of the monitor and which of its groups to show. Empty
 * means the data source's formation and every group. A name the Go side would refuse is flagged here and not sent;
 * whether the monitor has it, only the backend can say (its error lists the formations it has).
 */
export function FormationFields({ query, update }: Props) {
  const [formation, setFormation] = useState(query.formation ?? '');
  const [group, setGroup] = useState(query.group !== undefined ? String(query.group) : '');
  const formationInvalid = formation.trim() !== '' && !FORMATION_NAME.test(formation.trim());
  const groupNumber = Number(group);
  const groupInvalid =
    group.trim() !== '' && !(Number.isInteger(groupNumber) && groupNumber >= 0 && groupNumber <= MAX_GROUP);

  const commitFormation = () => {
    const name = formation.trim();
    if (formationInvalid) {
      return;
    }
    const next = name === '' ? undefined : name;
    if (next !== query.formation) {
      update({ formation: next });
    }
  };
  const commitGroup = () => {
    if (groupInvalid) {
      return;
    }
    const next = group.trim() === '' ? undefined : groupNumber;
    if (next !== query.group) {
      update({ group: next });
    }
  };

  return (
    <>
      <InlineField
        label="Formation"
        tooltip="Another formation registered on the same monitor; empty = the data source's formation"
        invalid={formationInvalid}
        error="Letters, digits, _ . - (up to 63, not starting with . or -)"
      >
        <Input
          data-testid={formationTestIds.formation}
          width={18}
          placeholder="data source's"
          value={formation}
          onChange={(e) => setFormation(e.currentTarget.value)}
          onBlur={commitFormation}
        />
      </InlineField>
      <InlineField
        label="Group"
        tooltip="One group of the formation (0 holds the primary of a pgsql formation); empty = every group"
        invalid={groupInvalid}
        error={`A group id from 0 to ${MAX_GROUP}`}
      >
        <Input
          data-testid={formationTestIds.group}
          type="number"
          min={0}
          width={10}
          placeholder="all"
          value={group}
          onChange={(e) => setGroup(e.currentTarget.value)}
          onBlur={commitGroup}
        />
      </InlineField>
    </>
  );
}
