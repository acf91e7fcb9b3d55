"""Web settings read from CONVENTIO_* variables, once, by create_app.

The core's Settings (data dir, database) come from workflows.config; this adds what
only the web server needs: the secret key, HTTPS, tokens, throttling and LDAP.
"""
import ipaddress
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from workflows.config import persisted_key

SECRET_KEY_FILE = "secret_key"


@dataclass(frozen=True)
class LdapSettings:
    uri: str
    user_base: str
    bind_dn: str = ""
    bind_password: str = ""
    user_filter: str = "(uid={login})"
    group_base: str = ""
    group_filter: str = "(|(member={dn})(uniqueMember={dn}))"
    group_map: dict = field(default_factory=dict)   # group DN or cn -> {"roles": [...], "territories": [...]}
    default_territories: tuple = ()
    start_tls: bool = False
    ca_file: str = ""
    require_cert: bool = True
    network_timeout: float = 5.0
    operation_timeout: float = 10.0
    display_name_attribute: str = "displayName"
    mail_attribute: str = "mail"
    # an outside partner's organisation (inetOrgPerson's `o`; "" reads none): services/partners.py
    organisation_attribute: str = "o"

    @classmethod
    def from_env(cls, env):
        uri = env.get("CONVENTIO_LDAP_URI", "").strip()
        if not uri:
            return None
        defaults = cls(uri=uri, user_base="")
        return cls(
            uri=uri,
            user_base=env.get("CONVENTIO_LDAP_USER_BASE", ""),
            bind_dn=env.get("CONVENTIO_LDAP_BIND_DN", ""),
            bind_password=env.get("CONVENTIO_LDAP_BIND_PASSWORD", ""),
            user_filter=env.get("CONVENTIO_LDAP_USER_FILTER", defaults.user_filter),
            group_base=env.get("CONVENTIO_LDAP_GROUP_BASE", ""),
            group_filter=env.get("CONVENTIO_LDAP_GROUP_FILTER", defaults.group_filter),
            group_map=parse_group_map(env.get("CONVENTIO_LDAP_GROUP_MAP", "")),
            default_territories=tuple(_split(env.get("CONVENTIO_LDAP_DEFAULT_TERRITORIES", ""))),
            start_tls=env.get("CONVENTIO_LDAP_STARTTLS", "0") == "1",
            ca_file=env.get("CONVENTIO_LDAP_CA_FILE", ""),
            require_cert=env.get("CONVENTIO_LDAP_REQUIRE_CERT", "1") != "0",
            network_timeout=float(env.get("CONVENTIO_LDAP_NETWORK_TIMEOUT", defaults.network_timeout)),
            operation_timeout=float(env.get("CONVENTIO_LDAP_TIMEOUT", defaults.operation_timeout)),
            display_name_attribute=env.get("CONVENTIO_LDAP_DISPLAY_NAME_ATTRIBUTE", "displayName"),
            mail_attribute=env.get("CONVENTIO_LDAP_MAIL_ATTRIBUTE", "mail"),
            organisation_attribute=env.get("CONVENTIO_LDAP_ORGANISATION_ATTRIBUTE", "o").strip(),
        )


def parse_group_map(text):
    """JSON {group: roles} where roles is a role, a list, or {"roles": [...], "territories": [...]}."""
    if not text.strip():
        return {}
    raw = json.loads(text)
    if not isinstance(raw, dict):
        raise ValueError("CONVENTIO_LDAP_GROUP_MAP doit être un objet JSON {groupe: rôles}.")
    mapping = {}
    for group, grant in raw.items():
        if isinstance(grant, str):
            grant = {"roles": [grant]}
        elif isinstance(grant, list):
            grant = {"roles": grant}
        mapping[group.strip().lower()] = {"roles": list(grant.get("roles", [])),
                                          "territories": list(grant.get("territories", []))}
    return mapping


def _split(text):
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_networks(text):
    """CONVENTIO_TRUSTED_PROXIES: addresses or CIDR blocks, separated by commas or spaces."""
    networks = []
    for part in text.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"CONVENTIO_TRUSTED_PROXIES : « {part} » n’est ni une adresse IP "
                             "ni un bloc CIDR (exemple : 10.0.0.1, 192.168.0.0/24).") from None
    return tuple(networks)


@dataclass(frozen=True)
class WebSettings:
    secret_key: str
    # Keys rotated out, still accepted to verify sessions and tokens signed before the rotation.
    previous_secret_keys: tuple = ()
    https: bool = False
    token_max_age: int = 8 * 3600
    session_hours: int = 8
    login_attempts: int = 5
    login_attempts_per_address: int = 50    # failures from one address, whatever the names (0: no limit)
    login_window_seconds: int = 15 * 60
    # The reverse proxies whose X-Forwarded-For is believed (server/throttle.py); none by default.
    trusted_proxies: tuple = ()
    ldap: LdapSettings | None = None
    # Who answers the accessibility statement's users (an e-mail address or a page), shown on it.
    accessibility_contact: str = ""

    @classmethod
    def from_env(cls, data_dir, env=None, **overrides):
        env = os.environ if env is None else env
        values = dict(
            secret_key=env.get("CONVENTIO_SECRET_KEY") or persisted_secret_key(Path(data_dir)),
            previous_secret_keys=tuple(_split(env.get("CONVENTIO_SECRET_KEY_PREVIOUS", "").replace(" ", ","))),
            https=env.get("CONVENTIO_HTTPS", "0") == "1",
            token_max_age=int(env.get("CONVENTIO_TOKEN_MAX_AGE", 8 * 3600)),
            session_hours=int(env.get("CONVENTIO_SESSION_HOURS", 8)),
            login_attempts=int(env.get("CONVENTIO_LOGIN_ATTEMPTS", 5)),
            login_attempts_per_address=int(env.get("CONVENTIO_LOGIN_ATTEMPTS_PER_ADDRESS", 50)),
            login_window_seconds=int(env.get("CONVENTIO_LOGIN_WINDOW", 15 * 60)),
            trusted_proxies=parse_networks(env.get("CONVENTIO_TRUSTED_PROXIES", "")),
            ldap=LdapSettings.from_env(env),
            accessibility_contact=env.get("CONVENTIO_ACCESSIBILITY_CONTACT", "").strip(),
        )
        values.update(overrides)
        return cls(**values)


def persisted_secret_key(data_dir):
    """The key kept in the data dir, created on first use (readable by its owner only)."""
    return persisted_key(data_dir, SECRET_KEY_FILE)
