TEST_DB = "postgres://app:Wv3-kestrel-Pine9@localhost/test"  # gonogo:allow-secret (throwaway CI database)
