"""A real OpenLDAP slapd for the tests (python-ldap's slapdtest), with the memberof overlay.

The directory: people (inetOrgPerson, some with an AD-style sAMAccountName), groups
(groupOfNames with member); the overlay fills each member's memberOf, as AD does.
"""
import os
import shutil
import tempfile

import pytest

MEMBEROF_OVERLAY = """dn: olcOverlay=memberof,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcMemberOf
olcOverlay: memberof
olcMemberOfGroupOC: groupOfNames
olcMemberOfMemberAD: member
olcMemberOfMemberOfAD: memberOf
"""
# Active Directory's login attribute, so that the AD filter (sAMAccountName=...) can be tried here.
AD_COMPAT_SCHEMA = """dn: cn=adcompat,cn=schema,cn=config
objectClass: olcSchemaConfig
cn: adcompat
olcAttributeTypes: ( 1.3.6.1.4.1.99999.1.1 NAME 'sAMAccountName' EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
olcObjectClasses: ( 1.3.6.1.4.1.99999.2.1 NAME 'adCompatUser' SUP top AUXILIARY MAY ( sAMAccountName ) )
"""
SUFFIX = "dc=conventio,dc=test"
PASSWORDS = {"alice": "alice-secret", "bruno": "bruno-secret", "chloe": "chloe-secret", "denis": "denis-secret"}


def person(uid, name, sam=None, organisation=None):
    lines = [f"dn: uid={uid},ou=people,{SUFFIX}", "objectClass: inetOrgPerson"]
    if sam:
        lines += ["objectClass: adCompatUser", f"sAMAccountName: {sam}"]
    if organisation:
        lines += [f"o: {organisation}"]
    lines += [f"uid: {uid}", f"cn: {name}", f"sn: {name.split()[-1]}", f"displayName: {name}",
              f"mail: {uid}@conventio.test", f"userPassword: {PASSWORDS[uid]}", ""]
    return "\n".join(lines)


def group(cn, *members, ou="groups"):
    return "\n".join([f"dn: cn={cn},ou={ou},{SUFFIX}", "objectClass: groupOfNames", f"cn: {cn}",
                      *[f"member: uid={m},ou=people,{SUFFIX}" for m in members], ""])


DATA = "\n".join([
    f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Conventio\ndc: conventio\n",
    f"dn: ou=people,{SUFFIX}\nobjectClass: organizationalUnit\nou: people\n",
    f"dn: ou=groups,{SUFFIX}\nobjectClass: organizationalUnit\nou: groups\n",
    f"dn: ou=legacy,{SUFFIX}\nobjectClass: organizationalUnit\nou: legacy\n",
    f"dn: cn=service,{SUFFIX}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
    f"cn: service\nuserPassword: service-secret\n",
    person("alice", "Alice Martin", sam="amartin"),
    person("bruno", "Bruno Leroy"),
    person("chloe", "Chloé Petit"),
    person("denis", "Denis Moreau", organisation="CCAS du Lorrain"),   # an outside partner's agent
    group("conventio-directeurs", "alice"),
    group("territoire-cap-nord", "alice", "bruno", "denis"),
    group("conventio-juristes", "bruno", ou="legacy"),   # found only through memberOf
    group("autres-applications", "chloe"),
])


def _slapd_class():
    from slapdtest import SlapdObject

    class ConventioSlapd(SlapdObject):
        suffix = SUFFIX
        TMPDIR = tempfile.gettempdir()
        slapd_conf_template = SlapdObject.slapd_conf_template.replace(
            "olcModuleLoad: back_%(database)s", "olcModuleLoad: back_%(database)s\nolcModuleLoad: memberof")

        def _write_config(self):
            super()._write_config()
            # After the schemas: the overlay needs member and memberOf defined.
            self.slapadd(MEMBEROF_OVERLAY, ["-n0"])

    return ConventioSlapd


@pytest.fixture(scope="session")
def slapd():
    missing = [tool for tool in ("slapd", "ldapadd")
               if not (shutil.which(tool) or shutil.which(tool, path="/usr/sbin"))]
    if missing:
        pytest.skip(f"OpenLDAP absent ({', '.join(missing)}) : installez les paquets Debian slapd et ldap-utils")
    folder = tempfile.mkdtemp(prefix="conventio-ldap-")
    schema_path = os.path.join(folder, "adcompat.ldif")
    with open(schema_path, "w") as file:
        file.write(AD_COMPAT_SCHEMA)
    server_class = _slapd_class()
    server_class.openldap_schema_files = ("core.ldif", "cosine.ldif", "inetorgperson.ldif", "nis.ldif", schema_path)
    server = server_class()
    server.start()
    try:
        server.ldapadd(DATA)
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
