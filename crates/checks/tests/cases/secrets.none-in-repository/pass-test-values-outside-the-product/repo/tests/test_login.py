def test_login(client):
    password = "Wv3-kestrel-Pine9!"
    assert client.login("ada", password)
