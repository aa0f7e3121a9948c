#include "keyattest/maa/issuer_keys.h"

namespace keyattest::maa {

IssuerKeys::IssuerKeys(std::string_view jwks_text) {
  try {
    jwks_ = std::make_shared<const jose::Jwks>(jose::ParseJwks(jwks_text));
  } catch (const jose::JwksError& e) {
    error_ = e.what();
  }
}

const jose::Jwks& IssuerKeys::jwks() const {
  static const jose::Jwks kEmpty;
  return jwks_ ? *jwks_ : kEmpty;
}

}  // namespace keyattest::maa
