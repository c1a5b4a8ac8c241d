// A real OpenID Connect provider for the tests: panva's certified `oidc-provider` (npm), with its
// development login pages. Any login name is accepted and becomes the personnummer claim.
// Environment: PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI. Prints "ready <issuer>" when listening.
import Provider from "oidc-provider";

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [process.env.REDIRECT_URI],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  claims: { openid: ["sub", "personal_number"] },
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    return { accountId: id, async claims() { return { sub: id, personal_number: id }; } };
  },
  cookies: { keys: ["test-only-cookie-key"] },
});

provider.listen(port, "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
