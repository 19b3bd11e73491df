/** The saved tabs GraphiQL opens with: the first steps a front-end developer takes against the API. */
export const EXAMPLE_TABS = [
  {
    query: `# 1. Sign in as a demo resident (张伟); copy accessToken into the Headers tab below:
#    { "authorization": "Bearer <accessToken>" }
mutation SignIn {
  login(phone: "13800000011", password: "taoyuan-demo") {
    accessToken
    refreshToken
    user { id displayName }
  }
}`,
  },
  {
    query: `# 2. Who am I, and how many public-welfare points (公益积分) do I hold?
query Me {
  me {
    id
    displayName
    roles
    community { name }
    pointsAccount { balance lifetimeEarned tier }
  }
}`,
    headers: JSON.stringify({ authorization: 'Bearer <accessToken>' }, null, 2),
  },
  {
    query: `# 3. Opportunities of my community, with their shifts
query Opportunities($first: Int) {
  opportunities(first: $first) {
    edges {
      node {
        id
        title
        location
        status
        shifts { id startsAt endsAt spotsLeft waitlistLength }
      }
    }
  }
}`,
    variables: JSON.stringify({ first: 10 }, null, 2),
    headers: JSON.stringify({ authorization: 'Bearer <accessToken>' }, null, 2),
  },
  {
    query: `# 4. Sign up for a shift (an id from query 3); a full shift puts me on its waitlist
mutation SignUp($shiftId: ID!) {
  signUp(shiftId: $shiftId) {
    id
    status
    waitlistPosition
    shift { startsAt opportunity { title } }
  }
}`,
    variables: JSON.stringify({ shiftId: '<shift id>' }, null, 2),
    headers: JSON.stringify({ authorization: 'Bearer <accessToken>' }, null, 2),
  },
];
