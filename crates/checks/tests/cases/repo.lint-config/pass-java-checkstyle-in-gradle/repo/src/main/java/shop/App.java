package shop;

public class App {}
