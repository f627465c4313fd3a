//! What a certificate says: subject, names, expiry, key, signature algorithm.

use x509_parser::prelude::*;

#[derive(Debug, Clone)]
pub struct CertFacts {
    pub subject: String,
    pub issuer: String,
    pub names: Vec<String>,
    /// Seconds since the epoch.
    pub not_after: i64,
    pub not_before: i64,
    /// "RSA 2048", "EC P-256", "Ed25519".
    pub key: String,
    /// RSA modulus bits, when RSA.
    pub rsa_bits: Option<usize>,
    pub signature: String,
    /// A signature algorithm no longer safe (MD5, SHA-1).
    pub weak_signature: bool,
}

pub fn facts(der: &[u8]) -> Result<CertFacts, String> {
    let (_, c) = parse_x509_certificate(der).map_err(|e| format!("unreadable certificate: {e}"))?;
    let mut names = Vec::new();
    if let Ok(Some(san)) = c.subject_alternative_name() {
        for n in &san.value.general_names {
            match n {
                GeneralName::DNSName(d) => names.push(d.to_string()),
                GeneralName::IPAddress(ip) if ip.len() == 4 => {
                    names.push(format!("{}.{}.{}.{}", ip[0], ip[1], ip[2], ip[3]))
                }
                _ => {}
            }
        }
    }
    let (key, rsa_bits) = match c.public_key().parsed() {
        Ok(x509_parser::public_key::PublicKey::RSA(rsa)) => {
            let bits = rsa.key_size();
            (format!("RSA {bits}"), Some(bits))
        }
        Ok(x509_parser::public_key::PublicKey::EC(ec)) => {
            (format!("EC {} bits", ec.key_size()), None)
        }
        Ok(other) => (format!("{other:?}").chars().take(20).collect(), None),
        Err(_) => ("unknown key".into(), None),
    };
    let oid = c.signature_algorithm.algorithm.to_id_string();
    let (signature, weak) = match oid.as_str() {
        "1.2.840.113549.1.1.4" => ("md5WithRSA".to_string(), true),
        "1.2.840.113549.1.1.5" => ("sha1WithRSA".to_string(), true),
        "1.2.840.10045.4.1" => ("ecdsa-with-SHA1".to_string(), true),
        "1.2.840.113549.1.1.11" => ("sha256WithRSA".to_string(), false),
        "1.2.840.113549.1.1.12" => ("sha384WithRSA".to_string(), false),
        "1.2.840.113549.1.1.13" => ("sha512WithRSA".to_string(), false),
        "1.2.840.10045.4.3.2" => ("ecdsa-with-SHA256".to_string(), false),
        "1.2.840.10045.4.3.3" => ("ecdsa-with-SHA384".to_string(), false),
        "1.3.101.112" => ("Ed25519".to_string(), false),
        "1.2.840.113549.1.1.10" => ("RSASSA-PSS".to_string(), false),
        _ => (oid.clone(), false),
    };
    Ok(CertFacts {
        subject: c.subject().to_string(),
        issuer: c.issuer().to_string(),
        names,
        not_after: c.validity().not_after.timestamp(),
        not_before: c.validity().not_before.timestamp(),
        key,
        rsa_bits,
        signature,
        weak_signature: weak,
    })
}

/// Whole days from now until `t` (negative when past).
pub fn days_until(t: i64) -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    (t - now).div_euclid(86_400)
}
