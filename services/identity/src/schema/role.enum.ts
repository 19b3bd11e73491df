import { Role } from '@taoyuan/service-kit';
import { registerEnumType } from 'type-graphql';

registerEnumType(Role, {
  name: 'Role',
  description: 'What a user may do in their community',
  valuesConfig: {
    RESIDENT: { description: 'Every registered user (居民)' },
    COMMUNITY_WORKER: { description: 'Community social worker (社工)' },
    COMMITTEE: { description: 'Residents’ committee member (居委会)' },
    ADMIN: { description: 'Platform administrator of the community' },
  },
});

export { Role };
