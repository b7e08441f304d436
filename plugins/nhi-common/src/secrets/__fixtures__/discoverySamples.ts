/**
 * Secrets as the discovery samples carry them: gitleaks's and trufflehog's own test data, and
 * trufflehog's canary repository (trufflesecurity/test_keys, whose keys trufflehog's README
 * scans). Each entry is the text as upstream has it, with its origin. Used to measure recall
 * (bench/secretRecall.ts) and by the tests: typed into a justification, each must be refused.
 */
export interface SampleSecret {
  name: string;
  text: string;
  origin: string;
  /** Not detected on purpose or beyond any rule's reach; the reason is in docs/benchmarks.md. */
  expectedMiss?: boolean;
}

const GITLEAKS =
  'https://github.com/gitleaks/gitleaks/blob/b58d3f102cf3a2c84cb7f923d05c25c9b1aed84b';
const TRUFFLEHOG =
  'https://github.com/trufflesecurity/trufflehog/blob/3ab759fef4bb5935d4fe9ac68b503d05346b8364';
const TEST_KEYS = 'https://github.com/trufflesecurity/test_keys/blob';

export const DISCOVERY_SAMPLE_SECRETS: SampleSecret[] = [
  {
    name: 'gitleaks testdata: an AWS access key id in Go source',
    text: '\tawsToken := "AKIALALEMEL33243OLIA"',
    origin: `${GITLEAKS}/testdata/repos/nogit/api.go#L20`,
  },
  {
    name: 'gitleaks testdata: a database password in a .env file',
    text: 'DB_PASSWORD=8ae31cacf141669ddfb5da',
    origin: `${GITLEAKS}/testdata/repos/nogit/.env.prod#L4`,
  },
  {
    name: 'trufflehog testdata: an AWS key pair on two lines',
    text: '  1 aws AKIAWARWQKZNHMZBLY4I\n  2 secret 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',
    origin: `${TRUFFLEHOG}/pkg/engine/testdata/secrets.txt#L1-L2`,
  },
  {
    name: 'trufflehog testdata: a Sentry token, bare hex after the word sentry',
    text: ' sentry 27ac84f4bcdb4fca9701f4d6f6f58cd7d96b69c9d9754d40800645a51d668f90',
    origin: `${TRUFFLEHOG}/pkg/engine/testdata/secrets.txt#L3`,
    expectedMiss: true,
  },
  {
    name: 'trufflehog testdata: a Postman API key in an environment variable',
    text: 'POSTMAN_API_KEY="PMAK-qnwfsLyRSyfCwfpHaQP1UzDhrgpWvHjbYzjpRCMshjt417zWcrzyHUArs7r"',
    origin: `${TRUFFLEHOG}/pkg/engine/testdata/verificationoverlap_secrets.txt#L2`,
  },
  {
    name: 'trufflehog canary: an AWS credentials file',
    text: '[default]\naws_access_key_id = AKIAQYLPMN5HHHFPZAM2\naws_secret_access_key = 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\noutput = json\nregion = us-east-2',
    origin: `${TEST_KEYS}/0416560b1330d8ac42045813251d85c688717eaf/new_key`,
  },
  {
    name: "trufflehog canary: the AWS pair of trufflehog's README",
    text: 'aws_access_key_id = AKIAYVP4CIPPERUVIFXG\naws_secret_access_key = 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',
    origin: `${TEST_KEYS}/fbc14303ffbf8fb1c2c1914e8dda7d0121633aca/keys#L4-L5 (the commit trufflehog's README scans)`,
  },
  {
    name: 'trufflehog canary: a URL with basic-auth credentials',
    text: 'https://admin:admin@the-internet.herokuapp.com/basic_auth',
    origin: `${TEST_KEYS}/0416560b1330d8ac42045813251d85c688717eaf/keys#L3`,
  },
  {
    name: 'trufflehog canary: an OpenSSH private key',
    text: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABAjNIZuun\nxgLkM8KuzfmQuRAAAAEAAAAAEAAAGXAAAAB3NzaC1yc2EAAAADAQABAAABgQDe3Al0EMPz\nutVNk5DixaYrGMK56RqUoqGBinke6SWVWmqom1lBcJWzor6HlnMRPPr7YCEsJKL4IpuVwu\ninRa5kdtNTyM7yyQTSR2xXCS0fUItNuq8pUktsH8VUggpMeew8hJv7rFA7tnIg3UXCl6iF\nOLZKbDA5aa24idpcD8b1I9/RzTOB1fu0of5xd9vgODzGw5JvHQSJ0FaA42aNBMGwrDhDB3\nsgnRNdWf6NNIh8KpXXMKJADf3klsyn6He8L2bPMp8a4wwys2YB35p5zQ0JURovsdewlOxH\nNT7eP19eVf4dCreibxUmRUaob5DEoHEk8WrxjKWIYUuLeD6AfcW6oXyRU2Yy8Vrt6SqFl5\nWAi47VMFTkDZYS/eCvG53q9UBHpCj7Qvb0vSkCZXBvBIhlw193F3PX4WvO1IXsMwvQ1D1X\nlmomsItbqM0cJyKw6LU18QWiBHvE7BqcphaoL5E08W2ATTSRIMCp6rt4rptM7KyGK8rc6W\nUYrCnWt6KlCA8AAAWQXk+lVx6bH5itIKKYmQr6cR/5xtZ2GHAxnYtvlW3xnGhU0MHv+lJ2\nuoWlT2RXE5pdMUQj7rNWAMqkwifSKZs9wBfYeo1TaFDmC3nW7yHSN3XTuO78mPIW5JyvmE\nRj5qjsUn7fNmzECoAxnVERhwnF3KqUBEPzIAc6/7v/na9NTiiGaJPco9lvCoPWbVLN08WG\nSuyU+0x5zc3ebzuPcYqu5/c5nmiGxhALrIhjIS0OV1mtAAFhvdMjMIHOijOzSKVCC7rRk5\nkG9EMLNvOn/DUVSRHamw5gs2V3V+Zq2g5nYWfgq8aDSTB8XlIzOj1cz3HwfN6pfSNQ/3Qe\nwOQfWfTWdO+JSL8aoBN5Wg8tDbgmvmbFrINsJfFfSm0wZgcHhC7Ul4U3v4c8PoNdK9HXwi\nTKKzJ9nxLYb+vDh50cnkseu2gt0KwVpjIorxEqeK755mKPao3JmOMr6uFTQsb+g+ZNgPwl\nnRHA4Igx+zADFj3twldnKIiRpBQ5J4acur3uQ+saanBTXgul1TiFiUGT2cnz+IiCsdPovg\nTAMt868W5LmzpfH4Cy54JtaRC4/UuMnkTGbWgutVDnWj2stOAzsQ1YmhH5igUmc94mUL+W\n8vQDCKpeI8n+quDS9zxTvy4L4H5Iz7OZlh0h6N13BDvCYXKcNF/ugkfxZbu8mZsZQQzXNR\nwOrEtKoHc4AnXYNzsuHEoEyLyJxGfFRDSTLbyN9wFOS/c0k9Gjte+kQRZjBVGORE5sN6X3\nakUnTF76RhbEc+LamrwM1h5340bwosRbR8I+UrsQdFfJBEj1ZSyMRJlMkFUNi6blt7bhyx\nea+Pm2A614nlYUBjw2KKzzn8N/0H2NpJjIptvDsbrx3BS/rKwOeJwavRrGnIlEzuAag4vx\nZb2TPVta45uz7fQP5IBl83b0BJKI5Zv/fniUeLI78W/UsZqb64YQbfRyBzFtI1T/SsCi0B\ne0EyKMzbxtSceT1Mb8eJiVIq04Xpwez9fIUt5rSedZD8KPq8P6s0cGsR7Qmw6eXZ/dBR/a\ns5vPhfIUmQawmnwAVuWNRdQQ79jUBSn5M+ZRVVTgEG+vFyvxr/bZqOo1JCoq5BmQhLWGRJ\nDk9TolbeFIVFrkuXkcu99a079ux7XSkON64oPzHrcsEzjPA1GPqs9CGBSO16wq/nI3zg+E\nkcOCaurc9yHJJPwduem0+8WLX3WoGNfQRKurtQze2ppy8KarEtDhDd96sKkhYaqOg3GOX8\nYx827L4vuWSJSIqKuO2kH6kOCMUNO16piv0z/8u3CJxOGh9+4FZIop81fiFTKLhV3/gwLm\nfzFY++KIZrLfZcUjzd80NNEja69F452Eb9HrI5BurN/PznDEi9bzM598Y7beyl4/kd4R2e\nS7SW9/LOrGw5UgxtiU+kV8nPz1PdgxO4sRlnntSBEwkQBzMkLOpq2h2BuJ2TlMP/TWuwLQ\nsDkv1Yk1pD0roGmtMzbujnURGxqRJ8gUmuIot4hpfyRSssvnRQQZ3lQCQCwHiE+HJxXWf5\nc58zOMjW7o21tI8e13uUnbRoQVJM9XYqk1usPXIkYPYL9uOw3AW/Zn+cnDrsXvTK9ZxgGD\n/90b1BNwVqMlUK+QggHNwl5qD8eoXK5cDvav66te+E+V7FYFQ06w3tytRVz8SjoaiChN02\nmuIjvl6G7Hoj1hObM2t/ZheN1EShS11z868hhS6Mx7GvIdtkXuvdiBYMiBLOshJQxB8Mzx\niug9W+Di3upLf0UMC1TqADGphsIHRU7RbmHQ8Rwp7dogswmDfpRSapPt9p0D+6Ad5VBzi3\nf3BPXj76UBLMEJCrZR1P28vnAA7AyNHaLvMPlWDMG5v3V/UV+ugyFcoBAOyjiQgYST8F3e\nHx7UPVlTK8dyvk1Z+Yw0nrfNClI=\n-----END OPENSSH PRIVATE KEY-----',
    origin: `${TEST_KEYS}/0416560b1330d8ac42045813251d85c688717eaf/keys`,
  },
];
